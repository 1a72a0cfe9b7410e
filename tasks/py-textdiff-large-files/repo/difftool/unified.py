"""Render opcodes as a unified diff (`diff -u` style)."""

from __future__ import annotations

from difftool.opcodes import Opcode, opcodes
from difftool.textlines import NO_NEWLINE_MARKER, split_lines


def _group(blocks: list[Opcode], context: int) -> list[list[Opcode]]:
    """Split blocks into hunks: changes closer than 2*context lines share a hunk."""
    if not blocks:
        return []
    blocks = list(blocks)
    if blocks[0].tag == "equal":
        tag, i1, i2, j1, j2 = blocks[0]
        blocks[0] = Opcode(tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if blocks[-1].tag == "equal":
        tag, i1, i2, j1, j2 = blocks[-1]
        blocks[-1] = Opcode(tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    groups: list[list[Opcode]] = []
    current: list[Opcode] = []
    for block in blocks:
        tag, i1, i2, j1, j2 = block
        if tag == "equal" and i2 - i1 > 2 * context and current:
            current.append(Opcode(tag, i1, i1 + context, j1, j1 + context))
            groups.append(current)
            current = []
            i1, j1 = i2 - context, j2 - context
        current.append(Opcode(tag, i1, i2, j1, j2))
    if current and not (len(current) == 1 and current[0].tag == "equal"):
        groups.append(current)
    return groups


def _range(start: int, length: int) -> str:
    beginning = start + 1 if length else start
    return f"{beginning}" if length == 1 else f"{beginning},{length}"


def _emit(prefix: str, line: str, out: list[str]) -> None:
    if line.endswith("\n"):
        out.append(prefix + line)
    else:
        out.append(prefix + line + "\n")
        out.append(NO_NEWLINE_MARKER + "\n")


def unified_diff(old: str, new: str, old_name: str = "a", new_name: str = "b", context: int = 3) -> str:
    """The unified diff turning `old` into `new`; empty string when they are equal."""
    a, b = split_lines(old), split_lines(new)
    hunks = _group(opcodes(a, b), context)
    if not hunks:
        return ""
    out = [f"--- {old_name}\n", f"+++ {new_name}\n"]
    for hunk in hunks:
        i1, i2 = hunk[0].i1, hunk[-1].i2
        j1, j2 = hunk[0].j1, hunk[-1].j2
        out.append(f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@\n")
        for tag, bi1, bi2, bj1, bj2 in hunk:
            if tag == "equal":
                for line in a[bi1:bi2]:
                    _emit(" ", line, out)
                continue
            for line in a[bi1:bi2]:
                _emit("-", line, out)
            for line in b[bj1:bj2]:
                _emit("+", line, out)
    return "".join(out)


def diff_stat(old: str, new: str) -> tuple[int, int]:
    """(lines added, lines removed) by the minimal diff."""
    added = removed = 0
    for tag, i1, i2, j1, j2 in opcodes(split_lines(old), split_lines(new)):
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed
