"""Longest common subsequence of two line lists, via Myers' O((N+M)·D) diff.

Returns the matched index pairs (i, j) with a[i] == b[j], strictly increasing in both
coordinates. The cost grows with the size of the *difference* D, not with N·M, so two
large, nearly identical files are cheap -- the common case for generated configs.
The common prefix and suffix are matched up front, which keeps D-dependent work
restricted to the region that actually changed.
"""

from __future__ import annotations

from collections.abc import Sequence


def lcs_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Matched (i, j) index pairs of one longest common subsequence of `a` and `b`."""
    n, m = len(a), len(b)
    prefix = 0
    while prefix < n and prefix < m and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < n - prefix and suffix < m - prefix and a[n - 1 - suffix] == b[m - 1 - suffix]:
        suffix += 1
    pairs = [(i, i) for i in range(prefix)]
    middle_a = a[prefix : n - suffix]
    middle_b = b[prefix : m - suffix]
    pairs.extend((i + prefix, j + prefix) for i, j in _myers_pairs(middle_a, middle_b))
    pairs.extend((n - suffix + k, m - suffix + k) for k in range(suffix))
    return pairs


def _myers_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return []
    # trace[d] is the furthest-reaching x per diagonal k before round d.
    v: dict[int, int] = {1: 0}
    trace: list[dict[int, int]] = []
    for d in range(n + m + 1):
        trace.append(dict(v))
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[k - 1] < v[k + 1]):
                x = v[k + 1]  # step down: insert b[y]
            else:
                x = v[k - 1] + 1  # step right: delete a[x]
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[k] = x
            if x >= n and y >= m:
                return _backtrack(trace, n, m)
    raise AssertionError("unreachable: D never exceeds N + M")


def _backtrack(trace: list[dict[int, int]], n: int, m: int) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        v = trace[d]
        k = x - y
        if k == -d or (k != d and v.get(k - 1, -1) < v.get(k + 1, -1)):
            previous_k = k + 1
        else:
            previous_k = k - 1
        previous_x = v.get(previous_k, 0)
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            x -= 1
            y -= 1
            pairs.append((x, y))
        x, y = previous_x, previous_y
    pairs.reverse()
    return pairs
