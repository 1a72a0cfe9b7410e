"""What a grading records (see task-format.md, Grading)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["passed", "failed", "error", "skipped"]
Reason = Literal[
    "tests_failed",
    "timeout",
    "out_of_memory",
    "no_report",
    "sandbox_error",
    "unappliable",
    "tampered",
]
# What grading could prove about the run itself (docs/threat-model.md):
#   verified   the report was sealed at the end of the session, nothing rewrote it, and
#              every canary test reported what it must (the must-fail failed, the
#              must-pass passed with this grading's nonce);
#   tampered   a contradiction: a second seal, a report that no longer matches its
#              seal, a must-fail canary reported passed, a nonce missing, or a run whose
#              canaries vanished while its tests say they passed. Never solved;
#   unverified the run proves nothing either way: a task with its own [grade].command
#              (no Routr runner, so no seal or canaries), or a failing run that lost its
#              report or canaries (a crash is not evidence of forging);
#   unchecked  no test ran (unappliable change, sandbox error) or the defences were off.
Integrity = Literal["verified", "tampered", "unverified", "unchecked"]


@dataclass(frozen=True)
class TestOutcome:
    """One test from the JUnit report; ``id`` is ``classname::name`` (or ``name`` alone)."""

    __test__ = False  # not a pytest test class, despite the name

    id: str
    outcome: Outcome
    duration_s: float = 0.0
    message: str = ""


@dataclass(frozen=True)
class Grade:
    """The verdict on one change: stored with every attempt and fed to repair turns.

    ``reason`` says why it is not solved (``None`` exactly when solved), so a ranking
    can tell a model's wrong answer from a timeout or from the sandbox failing.
    """

    solved: bool
    score: float  # fraction of the graded tests that pass, 0..1
    tests: tuple[TestOutcome, ...] = ()
    duration_s: float = 0.0
    timed_out: bool = False
    reason: Reason | None = None  # None when solved
    exit_code: int | None = None
    output: str = field(default="", repr=False)  # capped test-run output, for repair turns
    restored: tuple[str, ...] = ()  # harness files the change touched, put back before the run
    integrity: Integrity = "unchecked"  # the seal and canary verdict (see Integrity)
    integrity_detail: str = ""  # why, in one line, when not verified (for review and rank)
