"""A change whose files a sandbox cannot hold fails that grading, never the run.

Issue 7: a 300-character name part made the in-container ``tar -x`` fail, which read as
Docker being down (``SandboxUnavailable``, exit 3), so one model's answer stopped the
bench for every model. Two defences, each tested with its control: the host refuses
such paths before any sandbox exists, and a write the sandbox refuses anyway is
``WriteRejected`` (the content's fault), graded ``unappliable``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from routr_cli.grading import grade_change
from routr_cli.sandbox import docker_container
from routr_cli.sandbox.base import SandboxSpec, WriteRejected, check_relative
from routr_cli.tasks.model import Limits, Task

if TYPE_CHECKING:
    from conftest import BackendHarness

pytestmark = pytest.mark.docker

SMALL = SandboxSpec("python", Limits(cpus=1.0, memory_mb=256, pids=64))
LONG_NAME = "a" * 300 + ".py"


def _no_host_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch the host-side path check off (the control): only normalise."""

    def lenient(path: str) -> str:
        return "/".join(p for p in path.split("/") if p not in ("", "."))

    monkeypatch.setattr(docker_container, "check_relative", lenient)
    monkeypatch.setattr("routr_cli.grading.grader.check_relative", lenient)


def test_the_host_refuses_a_long_name_before_the_sandbox(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox, pytest.raises(WriteRejected, match="255"):
        sandbox.write_files({LONG_NAME: "x = 1\n"})
    with pytest.raises(ValueError, match="255 bytes"):
        check_relative(LONG_NAME)


def test_without_the_host_check_tar_refuses_and_that_is_the_contents_fault(
    harness: BackendHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_host_check(monkeypatch)
    with harness.factory.open(SMALL) as sandbox:
        with pytest.raises(WriteRejected, match="refused the files"):
            sandbox.write_files({LONG_NAME: "x = 1\n"})
        # the sandbox is fine: the next write and command work
        sandbox.write_files({"ok.py": "print('still here')\n"})
        result = sandbox.exec(["python", "ok.py"], timeout=20)
        assert result.exit_code == 0 and "still here" in result.stdout


def test_grading_a_hostile_path_is_unappliable_with_and_without_the_host_check(
    harness: BackendHarness, tiny_task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = {**tiny_task.solution_change(), LONG_NAME: "x = 1\n"}
    grade = grade_change(tiny_task, change, harness.factory, raise_sandbox_errors=True)
    assert (grade.solved, grade.reason) == (False, "unappliable")
    assert "255 bytes" in grade.output
    _no_host_check(monkeypatch)  # the sandbox's own refusal is still one attempt's failure
    grade = grade_change(tiny_task, change, harness.factory, raise_sandbox_errors=True)
    assert (grade.solved, grade.reason) == (False, "unappliable")
    assert "refused the files" in grade.output
