"""Blocks of equal / deleted / inserted / replaced lines, from LCS matches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from difftool.lcs import lcs_pairs


class Opcode(NamedTuple):
    """Lines a[i1:i2] become b[j1:j2]; `tag` says how (as in difflib)."""

    tag: str
    i1: int
    i2: int
    j1: int
    j2: int


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """A minimal edit script as blocks covering both sequences completely, in order."""
    pairs = lcs_pairs(a, b)
    matched_a = [i for i, _ in pairs]
    result: list[Opcode] = []
    i = j = 0
    for i_match, j_match in pairs + [(len(a), len(b))]:
        if i < i_match or j < j_match:
            if i < i_match and j < j_match:
                tag = "replace"
            elif i < i_match:
                tag = "delete"
            else:
                tag = "insert"
            result.append(Opcode(tag, i, i_match, j, j_match))
        i, j = i_match, j_match
        if i < len(a) and i in matched_a:
            result.append(Opcode("equal", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
    return _merge_equal(result)


def _merge_equal(blocks: list[Opcode]) -> list[Opcode]:
    merged: list[Opcode] = []
    for block in blocks:
        if merged and block.tag == "equal" and merged[-1].tag == "equal":
            last = merged.pop()
            block = Opcode("equal", last.i1, block.i2, last.j1, block.j2)
        merged.append(block)
    return merged
