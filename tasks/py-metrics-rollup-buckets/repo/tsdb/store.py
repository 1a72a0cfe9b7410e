"""The in-memory store: series by key, queries by name and label selector."""

from __future__ import annotations

from collections.abc import Iterable

from tsdb.lineproto import LineError, parse_line
from tsdb.model import Sample, SeriesKey
from tsdb.rollup import rollup


class MemoryStore:
    def __init__(self) -> None:
        self._series: dict[SeriesKey, list[Sample]] = {}
        self.rejected = 0

    def write(self, key: SeriesKey, sample: Sample) -> None:
        self._series.setdefault(key, []).append(sample)

    def write_lines(self, lines: Iterable[str]) -> int:
        """Ingest protocol lines; returns how many samples were stored."""
        stored = 0
        for line in lines:
            try:
                parsed = parse_line(line)
            except LineError:
                self.rejected += 1
                continue
            if parsed is not None:
                self.write(*parsed)
                stored += 1
        return stored

    def series(self, name: str, **selector: str) -> list[SeriesKey]:
        return sorted(key for key in self._series if key.matches(name, selector))

    def query(
        self,
        name: str,
        start: int,
        end: int,
        step: int,
        agg: str = "avg",
        fill: str | None = None,
        **selector: str,
    ) -> list[tuple[int, float | None]]:
        """Rollup of one series; the selector must match exactly one series."""
        keys = self.series(name, **selector)
        if len(keys) != 1:
            raise LookupError(f"selector matches {len(keys)} series of {name!r}, expected 1")
        return rollup(self._series[keys[0]], start, end, step, agg, fill)
