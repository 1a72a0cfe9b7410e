"""Downsample samples into fixed-width time buckets."""

from __future__ import annotations

from collections.abc import Iterable

from tsdb.aggregations import get_aggregation
from tsdb.model import Sample

FILLS = (None,)


def rollup(
    samples: Iterable[Sample],
    start: int,
    end: int,
    step: int,
    agg: str = "avg",
    fill: str | None = None,
) -> list[tuple[int, float | None]]:
    """Aggregate the samples in [start, end) into buckets of `step` seconds.

    Returns (bucket_start, value) pairs in time order.
    """
    if step <= 0:
        raise ValueError("step must be positive")
    if end <= start:
        raise ValueError("end must be after start")
    if fill not in FILLS:
        raise ValueError(f"unknown fill {fill!r}")
    aggregate = get_aggregation(agg)
    buckets: dict[int, list[float]] = {}
    for sample in samples:
        if not start <= sample.timestamp < end:
            continue
        bucket = start + (sample.timestamp - start) // step * step
        buckets.setdefault(bucket, []).append(sample.value)
    return [(bucket, aggregate(values)) for bucket, values in sorted(buckets.items())]
