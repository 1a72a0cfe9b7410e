"""The Docker backend hands the task's limits to the engine, and reports its own failures.

The conformance suite proves the effects it can observe from inside (a fork bomb meets
the pids limit, a memory hog is killed); this checks the numbers themselves, including
the CPU quota, which no short test can observe reliably on a shared 2-core machine.
"""

from __future__ import annotations

from typing import Any

import pytest

from routr_cli.errors import SandboxUnavailable
from routr_cli.sandbox.base import SandboxSpec
from routr_cli.sandbox.docker_backend import DockerBackend
from routr_cli.sandbox.engine import new_client
from routr_cli.tasks.model import Limits

pytestmark = pytest.mark.docker


def _host_config(spec: SandboxSpec) -> dict[str, Any]:
    client = new_client()
    with DockerBackend().open(spec) as sandbox:
        config = client.api.inspect_container(sandbox.container_id)["HostConfig"]
    assert isinstance(config, dict)
    return config


def test_the_task_limits_and_the_lockdown_reach_the_engine() -> None:
    config = _host_config(SandboxSpec("python", Limits(cpus=0.5, memory_mb=300, pids=77)))
    assert config["NanoCpus"] == 500_000_000
    assert config["Memory"] == config["MemorySwap"] == 300 * 1024 * 1024  # no swap
    assert config["PidsLimit"] == 77
    assert config["NetworkMode"] == "none"
    assert config["CapDrop"] == ["ALL"]
    assert config["SecurityOpt"] == ["no-new-privileges"]
    assert config["ReadonlyRootfs"] is True


def test_a_cpu_quota_above_the_host_is_capped_not_an_engine_failure() -> None:
    host_cpus = int(new_client().info()["NCPU"])
    config = _host_config(SandboxSpec("python", Limits(cpus=host_cpus + 6.0)))
    assert config["NanoCpus"] == host_cpus * 1_000_000_000


def test_a_failed_write_is_one_line_even_when_tar_complains_per_file() -> None:
    sandbox = DockerBackend().open(SandboxSpec("python", Limits()))
    with sandbox, pytest.raises(SandboxUnavailable) as caught:
        sandbox.write_files({"a.txt": "x", "b/c.txt": "y"}, root="/usr")  # read-only root
    message = str(caught.value)
    assert message.startswith("writing 2 files into the sandbox failed: tar: ")
    assert "Read-only file system" in message and "\n" not in message
