"""Downsample samples into fixed-width time buckets."""

from __future__ import annotations

from collections.abc import Iterable

from tsdb.aggregations import PAIRWISE, counter_increases, get_aggregation
from tsdb.model import Sample

FILLS = (None, "zero", "previous")


def bucket_of(timestamp: int, step: int) -> int:
    """Start of the epoch-aligned bucket holding `timestamp`."""
    return timestamp - timestamp % step


def rollup(
    samples: Iterable[Sample],
    start: int,
    end: int,
    step: int,
    agg: str = "avg",
    fill: str | None = None,
) -> list[tuple[int, float | None]]:
    """Aggregate the samples in [start, end) into epoch-aligned buckets of `step` seconds.

    `samples` is in arrival order: of several samples with the same timestamp the last
    one wins, and aggregations see values in timestamp order. Every bucket from the one
    holding `start` to the one holding `end - 1` is returned, in time order; buckets
    without data get None, 0.0 (`fill="zero"`) or the previous bucket's value
    (`fill="previous"`).
    """
    if step <= 0:
        raise ValueError("step must be positive")
    if end <= start:
        raise ValueError("end must be after start")
    if fill not in FILLS:
        raise ValueError(f"unknown fill {fill!r} (use None, 'zero' or 'previous')")
    latest: dict[int, float] = {}
    for sample in samples:
        if start <= sample.timestamp < end:
            latest[sample.timestamp] = sample.value
    ordered = [Sample(ts, value) for ts, value in sorted(latest.items())]

    values: dict[int, float] = {}
    if agg in PAIRWISE:
        increases: dict[int, float] = {}
        for timestamp, increase in counter_increases(ordered):
            bucket = bucket_of(timestamp, step)
            increases[bucket] = increases.get(bucket, 0.0) + increase
        values = {bucket: total / step for bucket, total in increases.items()}
    else:
        aggregate = get_aggregation(agg)
        grouped: dict[int, list[float]] = {}
        for sample in ordered:
            grouped.setdefault(bucket_of(sample.timestamp, step), []).append(sample.value)
        values = {bucket: aggregate(group) for bucket, group in grouped.items()}

    out: list[tuple[int, float | None]] = []
    previous: float | None = None
    for bucket in range(bucket_of(start, step), bucket_of(end - 1, step) + 1, step):
        if bucket in values:
            previous = values[bucket]
            out.append((bucket, previous))
        elif fill == "zero":
            out.append((bucket, 0.0))
        elif fill == "previous":
            out.append((bucket, previous))
        else:
            out.append((bucket, None))
    return out
