"""Sandbox containers know their owner, end themselves when it dies, and orphans are reaped.

The Docker test uses a real container and shows that the stdin lifeline is what stops
it: while held open (a live owner) the container runs on and is not reaped; closed, it
stops. A SIGKILLed owner is covered end to end by tests/bench/test_bench_e2e.py (a
killed bench) and measured by benchmarks/orphan_stop.py (its smoke test runs it once).
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from routr_cli.sandbox.owner import (
    OWNER_BOOT_LABEL,
    OWNER_PIDNS_LABEL,
    owner_labels,
    owner_state,
    process_start_time,
)


def _dead_pid_labels() -> dict[str, str]:
    proc = subprocess.Popen(["sleep", "30"])
    labels = owner_labels(proc.pid)
    proc.kill()
    proc.wait()
    return labels


def test_owner_state_tells_alive_gone_and_unknown() -> None:
    assert owner_state(owner_labels()) == "alive"
    assert owner_state(_dead_pid_labels()) == "gone"
    # a reused pid is another process: its start time differs
    reused = {**owner_labels(), "routr.owner.start": "1"}
    assert owner_state(reused) == "gone"
    # an older routr's container (no owner labels), another host, another pid namespace:
    # nothing we can check, so never reaped
    assert owner_state({}) == "unknown"
    assert owner_state({**_dead_pid_labels(), OWNER_BOOT_LABEL: "another-boot"}) == "unknown"
    assert owner_state({**_dead_pid_labels(), OWNER_PIDNS_LABEL: "pid:[1]"}) == "unknown"


def test_process_start_time_is_ticks_for_a_live_pid_and_empty_for_no_process() -> None:
    assert process_start_time(os.getpid()).isdigit()
    assert process_start_time(2**22 + 12345) == ""


def _state(name: str) -> str:
    return subprocess.run(
        ["docker", "inspect", "--format", "{{.State.Status}}", name],
        capture_output=True, text=True, timeout=30,
    ).stdout.strip()  # fmt: skip


@pytest.fixture
def live_container() -> Iterator[tuple[str, Any]]:
    """A sandbox container this test process owns: its name and its stdin lifeline."""
    from routr_cli.sandbox.base import SandboxSpec
    from routr_cli.sandbox.docker_container import close_lifeline, start_container
    from routr_cli.sandbox.engine import new_client
    from routr_cli.sandbox.images import resolve_image

    client = new_client()
    name = f"routr-python-owner-test-{uuid.uuid4().hex[:8]}"
    _id, lifeline = start_container(
        client, resolve_image("python", client), SandboxSpec("python"), name
    )
    try:
        yield name, lifeline
    finally:
        close_lifeline(lifeline)
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=30)


@pytest.mark.docker
def test_control_while_the_lifeline_is_open_the_container_runs_on(
    live_container: tuple[str, Any],
) -> None:
    from routr_cli.sandbox.docker_container import close_lifeline
    from routr_cli.sandbox.engine import new_client
    from routr_cli.sandbox.owner import reap_orphans

    name, lifeline = live_container
    time.sleep(1.5)
    assert _state(name) == "running"
    assert name not in reap_orphans(new_client())  # its owner (this process) is alive
    close_lifeline(lifeline)
    started = time.monotonic()
    while _state(name) == "running" and time.monotonic() - started < 30:
        time.sleep(0.05)
    assert _state(name) == "exited"


@pytest.mark.docker
def test_prune_dry_run_lists_and_keeps_a_live_owner_s_container(
    live_container: tuple[str, Any],
) -> None:
    from routr_cli_runner import run_routr

    name, _lifeline = live_container
    # only the dry run: a real prune of "python" would also remove stale python images
    # other engineers' runs may use (test_sandbox_images.py prunes a scratch recipe)
    result = run_routr("sandbox", "prune", "python", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"kept container {name} (owner alive): --force removes it" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("would prune ")
    assert _state(name) == "running"
