"""Prometheus text exposition for ``GET /metrics`` (no client library: a few counters).

Counters and histograms are updated on the event loop thread only, so they need no lock.
Breaker states are read from the shared ``BreakerBoard`` at scrape time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Histogram:
    def __init__(self) -> None:
        self.counts = [0] * len(BUCKETS)
        self.total = 0
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.total += 1
        self.sum += value
        for index, bound in enumerate(BUCKETS):
            if value <= bound:
                self.counts[index] += 1
                break

    def lines(self, name: str, labels: str) -> Iterable[str]:
        running = 0
        sep = "," if labels else ""
        for bound, count in zip(BUCKETS, self.counts, strict=True):
            running += count
            yield f'{name}_bucket{{{labels}{sep}le="{bound:g}"}} {running}'
        yield f'{name}_bucket{{{labels}{sep}le="+Inf"}} {self.total}'
        yield f"{name}_sum{{{labels}}} {self.sum:.6f}"
        yield f"{name}_count{{{labels}}} {self.total}"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


class Metrics:
    def __init__(self) -> None:
        self.requests: dict[tuple[str, str], int] = defaultdict(int)  # (model, status)
        self.errors: dict[str, int] = defaultdict(int)  # error class
        self.latency: dict[str, Histogram] = defaultdict(Histogram)  # served model
        self.overhead = Histogram()
        self.spend: dict[str, float] = defaultdict(float)

    def record(
        self, model: str | None, status: str, error_class: str | None, latency_s: float,
        overhead_s: float, cost_usd: float | None,
    ) -> None:  # fmt: skip
        name = model or "none"
        self.requests[(name, status)] += 1
        if error_class:
            self.errors[error_class] += 1
        if model:
            self.latency[name].observe(latency_s)
        self.overhead.observe(overhead_s)
        if cost_usd:
            self.spend[name] += cost_usd

    def render(self, breakers: Iterable[tuple[str, str]]) -> str:
        out = [
            "# HELP routr_requests_total Chat completions by served model and status.",
            "# TYPE routr_requests_total counter",
        ]
        for (model, status), count in sorted(self.requests.items()):
            out.append(f'routr_requests_total{{model="{_label(model)}",status="{status}"}} {count}')
        out += [
            "# HELP routr_errors_total Failed calls by error class.",
            "# TYPE routr_errors_total counter",
        ]
        for kind, count in sorted(self.errors.items()):
            out.append(f'routr_errors_total{{class="{_label(kind)}"}} {count}')
        out += [
            "# HELP routr_request_seconds Call latency by served model.",
            "# TYPE routr_request_seconds histogram",
        ]
        for model, hist in sorted(self.latency.items()):
            out.extend(hist.lines("routr_request_seconds", f'model="{_label(model)}"'))
        out += [
            "# HELP routr_overhead_seconds Time Routr added to a call (routing, mapping).",
            "# TYPE routr_overhead_seconds histogram",
        ]
        out.extend(self.overhead.lines("routr_overhead_seconds", ""))
        out += [
            "# HELP routr_spend_usd_total Spend by served model.",
            "# TYPE routr_spend_usd_total counter",
        ]
        for model, usd in sorted(self.spend.items()):
            out.append(f'routr_spend_usd_total{{model="{_label(model)}"}} {usd:.6f}')
        out += [
            "# HELP routr_breaker_open 1 when a model's circuit is open.",
            "# TYPE routr_breaker_open gauge",
        ]
        for model, state in sorted(breakers):
            out.append(
                f'routr_breaker_open{{model="{_label(model)}",state="{state}"}} {int(state != "closed")}'
            )
        return "\n".join(out) + "\n"
