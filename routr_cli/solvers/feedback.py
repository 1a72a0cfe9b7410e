"""What a repair turn may show of a failed test run -- never the hidden tests' source.

The code under test runs with the hidden tests and can print them (issue 7: a change
printing each test line behind a ``L00|`` prefix got the whole test file into the model's
second turn). So the feedback is *structured*, never the raw output:

1. a header: timed out, out of memory, or the exit status and score;
2. the failing tests from the JUnit report (only the task's listed tests when it lists
   them, so nothing else the run reports is echoed): id, and the first
   ``MESSAGE_LINES`` lines of the assertion message;
3. traceback frames in the repository's own files (``path:line in function``), found in
   the output for pytest, Python tracebacks, node and go;
4. up to ``MAX_ERRORS`` exception lines (``SomethingError: ...``, ``panic: ...``).

Then a redaction pass (:class:`Redactor`) replaces every line that carries a run of
``SHINGLE`` (20) or more characters of a hidden test file -- compared with whitespace
removed, also across lines after stripping a per-line prefix, and inside base64 or hex
-- and the whole is capped at ``MAX_CHARS``. Test ids are shown as they are: they are
the task's own names, which the model may know.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence

from routr_cli.grading.model import Grade

MAX_FAILURES = 20
MESSAGE_LINES = 3
MESSAGE_CHARS = 300
MAX_FRAMES = 15
MAX_ERRORS = 5
MAX_CHARS = 4_000
SHINGLE = 20
REDACTED = "[redacted: quotes the hidden tests]"

_SPACE = re.compile(r"\s+")
# A per-line prefix code may add to smuggle short lines: "L00|", "12:", "> ", "[3]".
_PREFIX = re.compile(r"^\s*[^\s|:>\]#]{0,10}[|:>\]#]\s?|^\s*\d{1,6}\s")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}){12,}")
_HEX_NOISE = re.compile(r"\\x|0x|%|\\u00")
_FRAME_PATTERNS = (
    re.compile(r'File "(?:/work/)?(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>[\w<>.]+)'),
    re.compile(r"^(?:/work/)?(?P<path>[\w./-]+\.py):(?P<line>\d+): (?:in )?(?P<func>[\w<>.]+)"),
    re.compile(
        r"at (?:(?P<func>[\w.<>$]+) \()?(?:file://)?/work/(?P<path>[^:()\s]+):(?P<line>\d+):\d+"
    ),
    re.compile(r"^\s*(?:/work/)?(?P<path>[\w./-]+\.go):(?P<line>\d+)"),
)
_SUMMARY_LINE = re.compile(r"(?m)^(?:FAILED|ERROR) \S+(?: - .*)?$")
_ERROR_LINE = re.compile(
    r"^\s*(?:E\s+)?((?:[\w.]*(?:Error|Exception|Warning)|panic|AssertionError)\b[:\s].*)$"
)


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


class Redactor:
    """Finds lines that carry hidden-test text; linear in what it checks.

    The hidden tests become a set of ``SHINGLE``-character windows of their text with all
    whitespace removed (one pass per file). Checked text is squashed the same way and
    every window looked up: per line, across consecutive lines (raw, and with a per-line
    prefix stripped), and in decoded base64 and hex runs.
    """

    def __init__(self, test_files: dict[str, str], size: int = SHINGLE) -> None:
        self.size = size
        self.windows: set[str] = set()
        for text in test_files.values():
            squashed = _squash(text)
            self.windows.update(squashed[i : i + size] for i in range(len(squashed) - size + 1))

    def _hits(self, stream: str) -> list[tuple[int, int]]:
        """Spans [start, end) of ``stream`` covered by a hidden-test window."""
        size, windows = self.size, self.windows
        spans: list[tuple[int, int]] = []
        for i in range(len(stream) - size + 1):
            if stream[i : i + size] in windows:
                if spans and spans[-1][1] >= i:
                    spans[-1] = (spans[-1][0], i + size)
                else:
                    spans.append((i, i + size))
        return spans

    def _decoded_leaks(self, stream: str) -> list[tuple[int, int]]:
        """Spans of base64 or hex runs in ``stream`` whose decoded text leaks."""
        spans: list[tuple[int, int]] = []
        for match in _BASE64_RUN.finditer(stream):
            run = match.group(0).rstrip("=")
            for skip in range(4):  # the run may start mid-quantum
                chunk = run[skip:]
                chunk = chunk[: len(chunk) - len(chunk) % 4]
                try:
                    decoded = base64.b64decode(chunk.replace("-", "+").replace("_", "/"))
                except (binascii.Error, ValueError):
                    continue
                if self._hits(_squash(decoded.decode("utf-8", "ignore"))):
                    spans.append(match.span())
                    break
        for match in _HEX_RUN.finditer(stream):
            for skip in range(2):
                chunk = match.group(0)[skip:]
                chunk = chunk[: len(chunk) - len(chunk) % 2]
                text = bytes.fromhex(chunk).decode("utf-8", "ignore")
                if self._hits(_squash(text)):
                    spans.append(match.span())
                    break
        return spans

    def leaking_lines(self, lines: Sequence[str]) -> set[int]:
        """Indexes of ``lines`` that carry hidden-test text in any of the checked forms."""
        if not self.windows:
            return set()
        bad: set[int] = set()
        bodies = [_PREFIX.sub("", line, count=1) for line in lines]
        for variant in (lines, bodies):
            stream_parts: list[str] = []
            owner: list[int] = []
            for index, line in enumerate(variant):
                squashed = _squash(line)
                stream_parts.append(squashed)
                owner.extend([index] * len(squashed))
            stream = "".join(stream_parts)
            spans = self._hits(stream) + self._decoded_leaks(stream)
            hex_stream = _HEX_NOISE.sub("", stream)
            # "\x41\x42", "0x41 0x42": positions are approximate, so every line goes
            if hex_stream != stream and self._decoded_leaks(hex_stream):
                bad.update(range(len(lines)))
            for start, end in spans:
                bad.update(owner[start:end])
        return bad

    def redact(self, text: str) -> str:
        """``text`` with every leaking line replaced by ``REDACTED`` (runs collapsed)."""
        lines = text.splitlines()
        bad = self.leaking_lines(lines)
        out: list[str] = []
        for index, line in enumerate(lines):
            if index not in bad:
                out.append(line)
            elif not out or out[-1] != REDACTED:
                out.append(REDACTED)
        return "\n".join(out)


def cap(text: str, limit: int = MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 40].rstrip() + "\n[... cut: feedback capped ...]"


def _message_lines(text: str) -> list[str]:
    lines = [line.strip()[:MESSAGE_CHARS] for line in text.strip().splitlines() if line.strip()]
    return lines[:MESSAGE_LINES] + (["..."] if len(lines) > MESSAGE_LINES else [])


def traceback_frames(output: str, repo_paths: Iterable[str]) -> list[str]:
    """``path:line in function`` for each frame of the output in a repository file."""
    own = set(repo_paths)
    frames: list[str] = []
    for line in output.splitlines():
        for pattern in _FRAME_PATTERNS:
            match = pattern.search(line)
            if match is None:
                continue
            path = match.group("path").removeprefix("./")
            if path in own:
                func = (match.groupdict().get("func") or "")[:60]
                frame = f"{path}:{match.group('line')}" + (f" in {func}" if func else "")
                if frame not in frames:
                    frames.append(frame)
            break
        if len(frames) >= MAX_FRAMES:
            break
    return frames


def error_lines(output: str) -> list[str]:
    """The last ``MAX_ERRORS`` distinct exception lines of the output (type: message)."""
    found: list[str] = []
    for line in output.splitlines():
        match = _ERROR_LINE.match(line)
        if match and match.group(1).strip()[:MESSAGE_CHARS] not in found:
            found.append(match.group(1).strip()[:MESSAGE_CHARS])
    return found[-MAX_ERRORS:]


def summary_lines(output: str) -> list[str]:
    """pytest's ``FAILED id - message`` summary lines, for a run that left no report."""
    found = [m.group(0).strip()[:MESSAGE_CHARS] for m in _SUMMARY_LINE.finditer(output)]
    return found[:MAX_FAILURES]


def repair_feedback(
    grade: Grade,
    timeout_s: int,
    test_files: dict[str, str],
    repo_paths: Iterable[str] = (),
    listed: Sequence[str] = (),
) -> str:
    """The feedback text for a failed grade, by the module's rule.

    Every line that comes from the run (messages, frames, error lines) is checked by the
    redactor as one sequence, so hidden-test text split over several messages or lines
    is found as well as text in one line.
    """
    if grade.timed_out or grade.reason == "timeout":
        header = f"The test run timed out after {timeout_s} s."
    elif grade.reason == "out_of_memory":
        header = "The test run ran out of memory."
    else:
        header = f"The test run failed (exit status {grade.exit_code}, score {grade.score:.2f})."
    wanted = set(listed)
    reported = [t for t in grade.tests if not wanted or t.id in wanted]
    failing = [t for t in reported if t.outcome in ("failed", "error")]
    # (section, text, from the run?) in display order; run text is checked by the
    # redactor, and messages are indented under their test's id.
    rows: list[tuple[str, str, bool]] = []
    for test in failing[:MAX_FAILURES]:
        rows.append(("Failing tests:", f"- {test.id} ({test.outcome})", False))
        rows.extend(("Failing tests:", line, True) for line in _message_lines(test.message))
    if len(failing) > MAX_FAILURES:
        rows.append(("Failing tests:", f"- ... and {len(failing) - MAX_FAILURES} more", False))
    if not grade.tests:  # no report: pytest's summary lines name the failures (unverified)
        rows.extend(("Failing tests:", line, True) for line in summary_lines(grade.output))
    rows.extend(
        ("Traceback frames in your files:", frame, True)
        for frame in traceback_frames(grade.output, repo_paths)
    )
    rows.extend(("Errors raised:", line, True) for line in error_lines(grade.output))
    checked = [text for _, text, from_run in rows if from_run]
    bad = Redactor(test_files).leaking_lines(checked)
    parts = [header]
    if reported:
        passed = sum(t.outcome == "passed" for t in reported)
        parts.append(f"Tests: {len(failing)} failing, {passed} passing of {len(reported)}.")
    sections: dict[str, list[str]] = {}
    position = 0
    for section, text, from_run in rows:
        lines = sections.setdefault(section, [])
        if not from_run:
            lines.append(text)
            continue
        shown = REDACTED if position in bad else text
        position += 1
        bullet = "    " if section == "Failing tests:" else "- "
        if not (shown == REDACTED and lines and lines[-1].endswith(REDACTED)):
            lines.append(bullet + shown)
    parts.extend(f"{section}\n" + "\n".join(lines) for section, lines in sections.items())
    return cap("\n\n".join(parts))
