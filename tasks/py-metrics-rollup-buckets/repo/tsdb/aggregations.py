"""Aggregations applied to the values that fall into one bucket (in time order)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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


def get_aggregation(name: str) -> Aggregation:
    try:
        return AGGREGATIONS[name]
    except KeyError:
        raise ValueError(f"unknown aggregation {name!r} (known: {', '.join(sorted(AGGREGATIONS))})") from None
