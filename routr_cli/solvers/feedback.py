"""What a repair turn may show of a failed test run -- never the hidden tests' source.

We do not control the task's grade command, so pytest (or node, or go test) may print
source lines of the hidden tests in its tracebacks. The rule, applied to everything sent:

1. a header: timed out, or the exit status;
2. the failing tests from the JUnit report: id and the first line of the message;
3. the last ``TAIL_LINES`` lines of the captured output;

and from 2 and 3 every line is dropped whose text, stripped of indentation and pytest's
``>`` / ``E`` margin, equals a non-blank line of any hidden test file. Whatever is left is
capped at ``MAX_CHARS`` (the cut is marked). The model thus sees test names, assertion
messages and values, and error types -- enough to repair, not enough to copy the tests.
"""

from __future__ import annotations

import re

from routr_cli.grading.model import Grade

TAIL_LINES = 60
MAX_FAILURES = 20
MAX_CHARS = 4_000
_MARGIN = re.compile(r"^\s*(?:>|E\b)?\s*")


def _core(line: str) -> str:
    return _MARGIN.sub("", line, count=1).strip()


def hidden_lines(test_files: dict[str, str]) -> frozenset[str]:
    """Every non-blank stripped line of the hidden tests (what must not be shown)."""
    return frozenset(
        line.strip() for text in test_files.values() for line in text.splitlines() if line.strip()
    )


def is_hidden(line: str, hidden: frozenset[str]) -> bool:
    core = _core(line)
    return bool(core) and (core in hidden or line.strip() in hidden)


def sanitize_output(output: str, hidden: frozenset[str], tail: int = TAIL_LINES) -> str:
    """The last ``tail`` lines of ``output`` without any hidden-test source line."""
    lines = output.splitlines()[-tail:]
    return "\n".join(line for line in lines if not is_hidden(line, hidden))


def cap(text: str, limit: int = MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 40].rstrip() + "\n[... cut: feedback capped ...]"


def repair_feedback(grade: Grade, timeout_s: int, test_files: dict[str, str]) -> str:
    """The feedback text for a failed grade, by the module's rule."""
    hidden = hidden_lines(test_files)
    if grade.timed_out or grade.reason == "timeout":
        header = f"The test run timed out after {timeout_s} s."
    elif grade.reason == "out_of_memory":
        header = "The test run ran out of memory."
    else:
        header = f"The test run failed (exit status {grade.exit_code}, score {grade.score:.2f})."
    parts = [header]
    failing = [t for t in grade.tests if t.outcome in ("failed", "error")]
    if failing:
        rows = []
        for test in failing[:MAX_FAILURES]:
            first = test.message.strip().splitlines()[0] if test.message.strip() else ""
            shown = "" if not first or is_hidden(first, hidden) else f": {first[:300]}"
            rows.append(f"- {test.id} ({test.outcome}){shown}")
        more = len(failing) - MAX_FAILURES
        if more > 0:
            rows.append(f"- ... and {more} more")
        parts.append("Failing tests:\n" + "\n".join(rows))
    tail = sanitize_output(grade.output, hidden)
    if tail.strip():
        parts.append(
            "End of the test output (lines quoting the hidden tests are removed):\n" + tail
        )
    return cap("\n\n".join(parts))
