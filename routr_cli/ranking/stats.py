"""Small, dependency-free statistics for the leaderboard."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (95% by default).

    Chosen over the normal ("Wald") interval because it stays inside [0, 1] and behaves
    at 0 and n successes and at small n, which is exactly where a new model starts.
    With no trials, the honest interval is all of [0, 1]. At 0 and n successes the
    closed form's outer bound is exactly 0 or 1, but the floating-point subtraction
    leaves ~1e-17 (or 1 - 1e-16); those bounds are set exactly so that JSON consumers
    comparing ``ci_high == 1`` for a perfect score get what the maths says.
    """
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"successes {successes} outside 0..{trials}")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - margin)
    high = 1.0 if successes == trials else min(1.0, centre + margin)
    return low, high


def median_or_none(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None
