"""Parse a unified diff and apply it to a text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from difftool.textlines import NO_NEWLINE_MARKER, join_lines, split_lines

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(ValueError):
    """The patch is malformed or does not fit the text."""


@dataclass
class Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    lines: list[str] = field(default_factory=list)  # each starts with ' ', '-' or '+'


def parse_patch(patch: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    for raw in split_lines(patch):
        if raw.startswith(("--- ", "+++ ")) and not hunks:
            continue
        match = HUNK_HEADER.match(raw)
        if match:
            old_start, old_len, new_start, new_len = match.groups()
            hunks.append(
                Hunk(int(old_start), int(old_len or 1), int(new_start), int(new_len or 1))
            )
            continue
        if not hunks:
            raise PatchError(f"unexpected line before the first hunk: {raw!r}")
        if raw.rstrip("\n") == NO_NEWLINE_MARKER:
            previous = hunks[-1].lines[-1]
            hunks[-1].lines[-1] = previous[:-1] if previous.endswith("\n") else previous
            continue
        if raw[:1] not in (" ", "-", "+"):
            raise PatchError(f"bad hunk line: {raw!r}")
        hunks[-1].lines.append(raw)
    return hunks


def apply_patch(text: str, patch: str) -> str:
    """Apply a unified diff produced by `unified_diff` (exact positions, no fuzz)."""
    source = split_lines(text)
    result: list[str] = []
    position = 0
    for hunk in parse_patch(patch):
        start = hunk.old_start - 1 if hunk.old_len else hunk.old_start
        if start < position:
            raise PatchError(f"hunk at line {hunk.old_start} overlaps the previous one")
        result.extend(source[position:start])
        position = start
        for line in hunk.lines:
            kind, body = line[0], line[1:]
            if kind in (" ", "-"):
                if position >= len(source) or source[position] != body:
                    raise PatchError(f"hunk at line {hunk.old_start} does not match the text")
                position += 1
            if kind in (" ", "+"):
                result.append(body)
    result.extend(source[position:])
    return join_lines(result)
