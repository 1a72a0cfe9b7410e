"""Backends the sandbox conformance suite runs against.

Each backend is wrapped in a small harness: the factory under test plus the one
backend-specific question the protocol cannot answer (is the sandbox's container, VM or
process still there?). A new backend adds one entry to ``HARNESSES`` and must pass the
same suite. When the infrastructure is missing the fixture *fails* with the fix, it never
skips: Docker tests run in CI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from routr_cli.errors import SandboxUnavailable
from routr_cli.sandbox.base import Sandbox, SandboxFactory
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import Task

FIXTURE_TASKS = Path(__file__).resolve().parent.parent / "fixtures" / "sandbox_tasks"


@dataclass(frozen=True)
class BackendHarness:
    name: str
    factory: SandboxFactory
    still_exists: Callable[[Sandbox], bool]


def _docker_harness() -> BackendHarness:
    from docker.errors import NotFound

    from routr_cli.sandbox.docker_backend import DockerBackend, DockerSandbox
    from routr_cli.sandbox.engine import new_client

    client = new_client()

    def still_exists(sandbox: Sandbox) -> bool:
        assert isinstance(sandbox, DockerSandbox)
        try:
            client.containers.get(sandbox.name)
        except NotFound:
            return False
        return True

    backend = DockerBackend()
    backend.image_tag("python")  # fail now, with the fix, if the image is not built
    return BackendHarness("docker", backend, still_exists)


HARNESSES: dict[str, Callable[[], BackendHarness]] = {"docker": _docker_harness}


@pytest.fixture(params=sorted(HARNESSES), scope="session")
def harness(request: Any) -> BackendHarness:
    try:
        return HARNESSES[request.param]()
    except SandboxUnavailable as exc:
        pytest.fail(f"{request.param} sandbox backend unavailable: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def tiny_task() -> Task:
    """A two-test Python task: ``add`` is broken in repo/ and fixed in solution/."""
    return load_task(FIXTURE_TASKS / "py-tiny-add")
