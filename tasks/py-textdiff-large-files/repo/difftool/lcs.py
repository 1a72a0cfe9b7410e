"""Longest common subsequence of two line lists (Hirschberg, linear space).

Returns the matched index pairs (i, j) with a[i] == b[j], strictly increasing in both
coordinates. Memory stays linear in the input, which matters for big generated files.
"""

from __future__ import annotations

from collections.abc import Sequence


def _last_row(a: Sequence[str], b: Sequence[str]) -> list[int]:
    """LCS lengths of `a` against every prefix of `b`."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if x == b[j - 1]:
                current[j] = previous[j - 1] + 1
            else:
                current[j] = max(previous[j], current[j - 1])
        previous = current
    return previous


def lcs_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Matched (i, j) index pairs of one longest common subsequence of `a` and `b`."""
    pairs: list[tuple[int, int]] = []
    _solve(a, b, 0, 0, pairs)
    return pairs


def _solve(a: Sequence[str], b: Sequence[str], a_off: int, b_off: int, out: list[tuple[int, int]]) -> None:
    if not a or not b:
        return
    if len(a) == 1:
        for j, line in enumerate(b):
            if line == a[0]:
                out.append((a_off, b_off + j))
                return
        return
    mid = len(a) // 2
    left = _last_row(a[:mid], b)
    right = _last_row(a[mid:][::-1], b[::-1])
    best, split = -1, 0
    for k in range(len(b) + 1):
        score = left[k] + right[len(b) - k]
        if score > best:
            best, split = score, k
    _solve(a[:mid], b[:split], a_off, b_off, out)
    _solve(a[mid:], b[split:], a_off + mid, b_off + split, out)
