"""A sandbox that cannot start is recorded as ``sandbox_error`` (or raised when asked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from routr_cli.errors import SandboxUnavailable
from routr_cli.grading import grade_reference
from routr_cli.sandbox.docker_backend import DockerBackend
from routr_cli.tasks.load import load_task

pytestmark = pytest.mark.docker

UNKNOWN_IMAGE = Path(__file__).resolve().parents[1] / "fixtures" / "broken_tasks" / "unknown-image"


def test_a_sandbox_that_cannot_start_is_data_unless_asked_to_raise() -> None:
    task = load_task(UNKNOWN_IMAGE)
    grade = grade_reference(task, DockerBackend())
    assert not grade.solved and grade.score == 0.0 and grade.tests == ()
    assert grade.reason == "sandbox_error"
    assert grade.output.startswith("sandbox error: unknown sandbox image 'cobol'")
    with pytest.raises(SandboxUnavailable, match="unknown sandbox image 'cobol'"):
        grade_reference(task, DockerBackend(), raise_sandbox_errors=True)
