"""Repair feedback is structured and never carries the hidden tests.

Each attack is code under test that smuggles the hidden test file out through what the
feedback shows (assertion messages, error lines, traceback frames): line by line behind
a prefix, whitespace-stripped, in base64, in hex, split over several tests. The control
for each is the same grade with nothing to redact against: the text does come through.
"""

from __future__ import annotations

import base64

import pytest

from routr_cli.grading.model import Grade
from routr_cli.grading.model import TestOutcome as Outcome
from routr_cli.solvers.feedback import (
    MAX_CHARS,
    REDACTED,
    Redactor,
    repair_feedback,
    traceback_frames,
)

HIDDEN_TEST = (
    "from stats import median, compute_secret_value\n"
    "\n"
    "\n"
    "def test_median_even():\n"
    "    secret_expected = compute_secret_value()\n"
    "    assert median([4, 1, 3, 2]) == secret_expected\n"
    "\n"
    "\n"
    "def test_median_odd():\n"
    "    assert median([5, 1, 3]) == 3\n"
    "    assert median([7]) == 7\n"
)
HIDDEN = {"test_core.py": HIDDEN_TEST}
SECRETS = ("compute_secret_value", "secret_expected", "median([4, 1, 3, 2])", "median([5,1,3])")
REPO = ["stats/__init__.py", "stats/core.py"]

PYTEST_OUTPUT = """\
=================================== FAILURES ===================================
______________________________ test_median_even ________________________________

    def test_median_even():
        secret_expected = compute_secret_value()
>       assert median([4, 1, 3, 2]) == secret_expected

tests/test_core.py:6:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
stats/core.py:20: in median
    return ordered[middle]
E   IndexError: list index out of range
=========================== short test summary info ============================
FAILED tests/test_core.py::test_median_even - IndexError: list index out of range
1 failed, 1 passed in 0.05s
"""


def grade(
    messages: tuple[str, ...] = ("IndexError: list index out of range",), **kw: object
) -> Grade:
    tests = (
        *(
            Outcome(f"tests.test_core::test_{n}", "failed", 0.0, message)
            for n, message in enumerate(messages)
        ),
        Outcome("tests.test_core::test_ok", "passed"),
    )
    fields: dict[str, object] = {
        "solved": False, "score": 0.5, "tests": tests, "reason": "tests_failed",
        "exit_code": 1, "output": PYTEST_OUTPUT,
    }  # fmt: skip
    fields.update(kw)
    return Grade(**fields)  # type: ignore[arg-type]


def leaked(text: str) -> list[str]:
    squashed = "".join(text.split())
    return [s for s in SECRETS if "".join(s.split()) in squashed]


def test_feedback_is_structured_and_drops_the_raw_output() -> None:
    text = repair_feedback(grade(), 60, HIDDEN, REPO)
    assert "- tests.test_core::test_0 (failed)\n    IndexError: list index out of range" in text
    assert "Tests: 1 failing, 1 passing of 2." in text
    assert "Traceback frames in your files:\n- stats/core.py:20 in median" in text
    assert "tests/test_core.py:6" not in text  # a frame in the hidden tests is not shown
    assert "- IndexError: list index out of range" in text
    assert leaked(text) == [] and "def test_median_even" not in text
    assert "test_ok" not in text  # passing tests are counted, not listed


def test_only_the_listed_tests_are_reported() -> None:
    text = repair_feedback(grade(), 60, HIDDEN, REPO, listed=["tests.test_core::test_ok"])
    assert "test_0" not in text and "Tests: 0 failing, 1 passing of 1." in text


def _lines_with_prefix() -> str:
    return "\n".join(f"L{n:02d}|{line}" for n, line in enumerate(HIDDEN_TEST.splitlines()))


ATTACKS = {
    "prefix per line": _lines_with_prefix(),
    "whitespace stripped": "".join(HIDDEN_TEST.split()),
    "base64": base64.b64encode(HIDDEN_TEST.encode()).decode(),
    "base64 wrapped at 76": base64.encodebytes(HIDDEN_TEST.encode()).decode(),
    "hex": HIDDEN_TEST.encode().hex(),
    "backslash-x hex": "".join(f"\\x{b:02x}" for b in HIDDEN_TEST.encode()),
    "plain": HIDDEN_TEST,
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_each_smuggling_form_is_redacted_and_the_control_leaks(attack: str) -> None:
    payload = ATTACKS[attack]
    message = "AssertionError: " + payload
    # the message (first lines) and the raw output (error lines) both carry it
    hostile = grade((message,), output=PYTEST_OUTPUT + "\n".join(
        f"E   AssertionError: {line}" for line in payload.splitlines()))  # fmt: skip
    text = repair_feedback(hostile, 60, HIDDEN, REPO)
    assert leaked(text) == [] and REDACTED in text, text
    assert len(text) <= MAX_CHARS
    control = repair_feedback(hostile, 60, {}, REPO)  # nothing to redact against
    assert REDACTED not in control
    if attack in ("plain", "prefix per line", "whitespace stripped"):
        assert leaked(control), control  # the attack works without the redaction


def test_short_lines_split_over_many_test_messages_are_caught() -> None:
    pieces = [
        line[i : i + 12] for line in HIDDEN_TEST.splitlines() for i in range(0, len(line), 12)
    ]
    hostile = grade(tuple(pieces[:20]))
    text = repair_feedback(hostile, 60, HIDDEN, REPO)
    shown = [p for p in pieces[:20] if len(p.strip()) > 3 and p.strip() in text]
    assert shown == [], text
    control = repair_feedback(hostile, 60, {}, REPO)
    assert all(p.strip() in control for p in pieces[:20])


def test_fake_frames_carrying_test_text_are_redacted() -> None:
    output = "\n".join(
        f'File "/work/stats/core.py", line {n}, in {name}'
        for n, name in enumerate(["compute_secret_value_and", "secret_expected_median_even"], 1)
    )
    text = repair_feedback(grade(output=output), 60, HIDDEN, REPO)
    assert "compute_secret_value" not in text and REDACTED in text


def test_ordinary_assertion_values_survive() -> None:
    redactor = Redactor(HIDDEN)
    honest = ["assert 3 == 2.5", "where 3 = median([4, 1, 3, 2])", "IndexError: out of range"]
    assert redactor.leaking_lines(honest) == set()


def test_without_a_report_the_summary_lines_name_the_failures() -> None:
    text = repair_feedback(grade(tests=()), 60, HIDDEN, REPO)
    assert "FAILED tests/test_core.py::test_median_even - IndexError" in text
    forged = PYTEST_OUTPUT + "FAILED x - " + "".join(HIDDEN_TEST.split())[:200] + "\n"
    assert leaked(repair_feedback(grade(tests=(), output=forged), 60, HIDDEN, REPO)) == []


def test_timeout_header_and_cap() -> None:
    many = tuple("x" * 290 + str(n) for n in range(40))
    text = repair_feedback(grade(many, reason="timeout", timed_out=True), 30, HIDDEN, REPO)
    assert text.startswith("The test run timed out after 30 s.")
    assert len(text) <= MAX_CHARS and text.endswith("[... cut: feedback capped ...]")


def test_frames_for_node_and_go() -> None:
    output = (
        "    at parse (file:///work/src/semver.mjs:12:9)\n"
        "    at /work/tests/semver.test.mjs:4:3\n"
        "    /work/ringbuf/ring.go:33 +0x1d\n"
        "ring_test.go:20: got 1 want 2\n"
    )
    frames = traceback_frames(output, ["src/semver.mjs", "ringbuf/ring.go"])
    assert frames == ["src/semver.mjs:12 in parse", "ringbuf/ring.go:33"]
