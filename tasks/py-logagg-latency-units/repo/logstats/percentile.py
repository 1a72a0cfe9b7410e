"""Nearest-rank percentiles (the definition our SLO documents use)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def nearest_rank(sorted_values: Sequence[float], percent: float) -> float:
    """The smallest value such that at least `percent`% of values are <= it."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    rank = math.ceil(percent / 100 * len(sorted_values))
    return sorted_values[rank - 1]
