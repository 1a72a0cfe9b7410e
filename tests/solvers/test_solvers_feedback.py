"""Repair feedback never quotes the hidden tests."""

from __future__ import annotations

from routr_cli.grading.model import Grade
from routr_cli.grading.model import TestOutcome as Outcome
from routr_cli.solvers.feedback import MAX_CHARS, repair_feedback

HIDDEN = {
    "test_core.py": (
        "def test_median_even():\n"
        "    secret_expected = compute_secret_value()\n"
        "    assert median([4, 1, 3, 2]) == secret_expected\n"
    )
}

PYTEST_OUTPUT = """\
=================================== FAILURES ===================================
______________________________ test_median_even ________________________________

    def test_median_even():
        secret_expected = compute_secret_value()
>       assert median([4, 1, 3, 2]) == secret_expected
E       assert 3 == 2.5
E        +  where 3 = median([4, 1, 3, 2])

tests/test_core.py:12: AssertionError
=========================== short test summary info ============================
FAILED tests/test_core.py::test_median_even - assert 3 == 2.5
1 failed, 4 passed in 0.05s
"""


def grade(output: str = PYTEST_OUTPUT, **kw: object) -> Grade:
    tests = (
        Outcome("tests.test_core::test_median_even", "failed", 0.0, "assert 3 == 2.5"),
        Outcome("tests.test_core::test_mean", "passed"),
    )
    fields: dict[str, object] = {
        "solved": False,
        "score": 0.5,
        "tests": tests,
        "reason": "tests_failed",
        "exit_code": 1,
        "output": output,
    }
    fields.update(kw)
    return Grade(**fields)  # type: ignore[arg-type]


def test_feedback_keeps_ids_and_messages_and_drops_test_source() -> None:
    text = repair_feedback(grade(), 60, HIDDEN)
    assert "tests.test_core::test_median_even (failed): assert 3 == 2.5" in text
    assert "E       assert 3 == 2.5" in text
    assert "1 failed, 4 passed" in text
    assert "secret_expected" not in text
    assert "compute_secret_value" not in text
    assert "def test_median_even" not in text
    assert "test_mean" not in text.split("End of the test output")[0]  # passing tests not listed


def test_timeout_header_and_cap() -> None:
    text = repair_feedback(
        grade(output="x\n" * 50 + "y" * 10_000, reason="timeout", timed_out=True), 30, HIDDEN
    )
    assert text.startswith("The test run timed out after 30 s.")
    assert len(text) <= MAX_CHARS and text.endswith("[... cut: feedback capped ...]")


def test_a_message_that_quotes_the_tests_is_not_shown() -> None:
    leaky = Grade(
        solved=False,
        score=0.0,
        reason="tests_failed",
        exit_code=1,
        tests=(Outcome("t::x", "error", 0.0, "secret_expected = compute_secret_value()"),),
    )
    text = repair_feedback(leaky, 60, HIDDEN)
    assert "- t::x (error)" in text and "compute_secret_value" not in text
