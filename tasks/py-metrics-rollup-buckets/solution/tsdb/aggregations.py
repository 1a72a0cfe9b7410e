"""Aggregations applied to the values that fall into one bucket (in time order)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tsdb.model import Sample

Aggregation = Callable[[Sequence[float]], float]


def _avg(values: Sequence[float]) -> float:
    return sum(values) / len(values)


AGGREGATIONS: dict[str, Aggregation] = {
    "avg": _avg,
    "min": min,
    "max": max,
    "sum": lambda values: float(sum(values)),
    "count": lambda values: float(len(values)),
    "last": lambda values: values[-1],
}

# Aggregations over consecutive sample pairs rather than over one bucket's values.
PAIRWISE = ("rate",)


def get_aggregation(name: str) -> Aggregation:
    try:
        return AGGREGATIONS[name]
    except KeyError:
        known = sorted([*AGGREGATIONS, *PAIRWISE])
        raise ValueError(f"unknown aggregation {name!r} (known: {', '.join(known)})") from None


def counter_increases(ordered: Sequence[Sample]) -> list[tuple[int, float]]:
    """(timestamp, increase since the previous sample) for a monotonic counter.

    A drop in value means the counter restarted from zero, so the increase is the new
    value itself. The first sample has no predecessor and yields nothing.
    """
    out = []
    for previous, current in zip(ordered, ordered[1:]):
        delta = current.value - previous.value
        out.append((current.timestamp, delta if delta >= 0 else current.value))
    return out
