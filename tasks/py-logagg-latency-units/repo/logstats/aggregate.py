"""Roll requests up per endpoint and per hour."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from logstats.model import Request
from logstats.parser import MalformedLine, parse_line
from logstats.percentile import nearest_rank

NUMERIC_SEGMENT = re.compile(r"/\d+(?=/|$)")


def endpoint_of(request: Request) -> str:
    return f"{request.method} {NUMERIC_SEGMENT.sub('/:id', request.path)}"


@dataclass(frozen=True)
class EndpointStats:
    endpoint: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    max_ms: float


class Aggregator:
    def __init__(self) -> None:
        self._durations: dict[str, list[float]] = {}
        self._errors: Counter[str] = Counter()
        self._hours: Counter[str] = Counter()
        self.malformed = 0
        self.total = 0

    def add(self, request: Request) -> None:
        endpoint = endpoint_of(request)
        self._durations.setdefault(endpoint, []).append(request.duration_s)
        if request.is_error:
            self._errors[endpoint] += 1
        hour = request.timestamp.strftime("%Y-%m-%dT%H:00Z")
        self._hours[hour] += 1
        self.total += 1

    def add_lines(self, lines: Iterable[str]) -> None:
        """Parse and add every line; malformed lines are counted and skipped."""
        for line in lines:
            try:
                request = parse_line(line)
            except MalformedLine:
                self.malformed += 1
                continue
            if request is not None:
                self.add(request)

    def endpoints(self) -> list[EndpointStats]:
        """Stats per endpoint, busiest first (ties by name)."""
        out = []
        for endpoint, durations in self._durations.items():
            ordered = sorted(durations)
            out.append(
                EndpointStats(
                    endpoint,
                    len(ordered),
                    self._errors[endpoint],
                    round(nearest_rank(ordered, 50) * 1000, 3),
                    round(nearest_rank(ordered, 95) * 1000, 3),
                    round(ordered[-1] * 1000, 3),
                )
            )
        return sorted(out, key=lambda s: (-s.count, s.endpoint))

    def hourly(self) -> dict[str, int]:
        """Requests per UTC hour, keyed like `2024-03-01T12:00Z`, in time order."""
        return dict(sorted(self._hours.items()))
