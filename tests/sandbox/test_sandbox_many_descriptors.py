"""Reading a command's output works when the process holds over 1024 descriptors.

A bench run keeps engine connections open in many threads; ``select()`` cannot watch a
descriptor numbered 1024 or more, so the exec stream must not depend on it.
"""

from __future__ import annotations

import os
import resource
import threading

import pytest

from routr_cli.sandbox.base import ExecResult, SandboxSpec
from routr_cli.sandbox.docker_backend import DockerBackend
from routr_cli.tasks.model import Limits

pytestmark = pytest.mark.docker

PAST_SELECT_LIMIT = 1100


def test_exec_output_is_read_on_a_descriptor_past_1024() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = PAST_SELECT_LIMIT + 256
    assert hard == resource.RLIM_INFINITY or hard >= needed, "raise the hard open-files limit"
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed), hard))
    filler = [os.open(os.devnull, os.O_RDONLY) for _ in range(PAST_SELECT_LIMIT)]
    results: list[ExecResult | BaseException] = []

    def run() -> None:  # a new thread makes new engine connections, on high descriptors
        try:
            with DockerBackend().open(SandboxSpec("python", Limits())) as sandbox:
                results.append(sandbox.exec("echo over the limit", timeout=30))
        except BaseException as exc:  # handed back to the test thread to fail there
            results.append(exc)

    try:
        assert max(filler) >= 1024
        worker = threading.Thread(target=run)
        worker.start()
        worker.join(120)
    finally:
        for fd in filler:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    (result,) = results
    assert isinstance(result, ExecResult), result
    assert result.exit_code == 0 and result.stdout == "over the limit\n"
