"""What a load generator run measured (benchmarks/loadgen.py): every request's times and
fate, the figures drawn from them, and their report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

ERROR_KINDS = ("status", "reset", "timeout", "connect", "protocol")
# The scheduler is "behind" when it handles a request this late: the timer's own jitter
# is ~0.05 ms (p50), a few ms on a loaded machine.
BEHIND_WARN_S = 0.010
NAN = float("nan")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of the non-NaN values (NaN when there are none)."""
    good = sorted(v for v in values if v == v)
    if not good:
        return NAN
    return good[min(len(good) - 1, max(0, math.ceil(q / 100 * len(good)) - 1))]


@dataclass
class Result:
    """Every scheduled request's times (seconds after the start: ``due``, when the
    scheduler handled it, when it was written, when its last byte arrived; NaN when that
    never happened), HTTP status (0: no answer) and error kind ("" when 2xx)."""

    url: str
    arrivals: str
    rate: float
    duration: float
    due: list[float]
    fired: list[float]
    sent: list[float]
    done: list[float]
    status: list[int]
    error: list[str]
    cpu_s: float  # the generator's own CPU time (user + system) over the run
    wall_s: float
    connections: int  # connections opened

    @property
    def n(self) -> int:
        return len(self.due)

    def latencies(self) -> list[float]:
        """Seconds from each request's due time to the last byte of its answer; NaN for
        every error (non-2xx answers included), so an error is never a fast success."""
        return [
            d - t if not e else NAN for t, d, e in zip(self.due, self.done, self.error, strict=True)
        ]

    def service_times(self) -> list[float]:
        """Seconds from the actual write to the last byte (what a closed-loop tool
        reports; it misses any wait before the write). NaN for errors."""
        return [
            d - s if not e else NAN
            for s, d, e in zip(self.sent, self.done, self.error, strict=True)
        ]

    def errors(self) -> dict[str, int]:
        counts = dict.fromkeys(ERROR_KINDS, 0)
        for kind in self.error:
            if kind:
                counts[kind] += 1
        return counts

    def send_lateness(self) -> list[float]:
        """Seconds from due time to the write (timer jitter plus any wait for a
        connection); NaN for requests never written."""
        return [s - t for t, s in zip(self.due, self.sent, strict=True)]

    def scheduler_lateness(self) -> list[float]:
        return [f - t for t, f in zip(self.due, self.fired, strict=True)]

    def cpu_per_request_ms(self) -> float:
        return self.cpu_s * 1000 / max(1, self.n)

    def summary(self) -> dict[str, Any]:
        lat, svc = self.latencies(), self.service_times()
        late, sched = self.send_lateness(), self.scheduler_lateness()
        return {
            "url": self.url,
            "arrivals": self.arrivals,
            "rate": self.rate,
            "duration_s": self.duration,
            "n": self.n,
            "ok": self.n - sum(1 for e in self.error if e),
            "errors": self.errors(),
            "latency_ms": {f"p{q:g}": percentile(lat, q) * 1000 for q in (50, 90, 99, 99.9, 100)},
            "service_ms": {f"p{q:g}": percentile(svc, q) * 1000 for q in (50, 99, 100)},
            "send_lateness_ms": {f"p{q:g}": percentile(late, q) * 1000 for q in (50, 99, 100)},
            "scheduler_lateness_ms": {
                f"p{q:g}": percentile(sched, q) * 1000 for q in (50, 99, 100)
            },
            "connections": self.connections,
            "cpu_per_request_ms": self.cpu_per_request_ms(),
            "cpu_share": self.cpu_s / self.wall_s if self.wall_s else NAN,
        }

    def behind_warning(self) -> str | None:
        """A one-line warning when the scheduler handled some request more than 10 ms
        after its due time (its latency still counts from the due time)."""
        worst = percentile(self.scheduler_lateness(), 100)
        if worst <= BEHIND_WARN_S:
            return None
        return (
            f"loadgen: fell behind schedule: a send was {worst * 1000:.1f} ms late "
            f"(p99 {percentile(self.scheduler_lateness(), 99) * 1000:.2f} ms); latencies "
            "still count from due times, but the generator may be part of what was measured"
        )


def report(result: Result) -> str:
    """The human-readable figures of a run, a few lines."""
    s = result.summary()
    errors = ", ".join(f"{k} {v}" for k, v in s["errors"].items())
    lat, svc = s["latency_ms"], s["service_ms"]
    late, sched = s["send_lateness_ms"], s["scheduler_lateness_ms"]
    return "\n".join(
        [
            f"loadgen ({s['arrivals']} arrivals): {s['n']} requests at {s['rate']:g}/s for "
            f"{s['duration_s']:g} s to {s['url']}",
            f"  ok {s['ok']}, errors {s['n'] - s['ok']} ({errors})",
            f"  latency from due time: p50 {lat['p50']:.2f} ms p90 {lat['p90']:.2f} ms "
            f"p99 {lat['p99']:.2f} ms p99.9 {lat['p99.9']:.2f} ms max {lat['p100']:.2f} ms",
            f"  service time from send: p50 {svc['p50']:.2f} ms p99 {svc['p99']:.2f} ms "
            f"max {svc['p100']:.2f} ms",
            f"  send lateness: p50 {late['p50']:.3f} ms p99 {late['p99']:.3f} ms max "
            f"{late['p100']:.3f} ms (scheduler alone: p99 {sched['p99']:.3f} ms max "
            f"{sched['p100']:.3f} ms); {s['connections']} connections opened",
            f"  loadgen CPU: {s['cpu_per_request_ms'] * 1000:.1f} us per request "
            f"({s['cpu_share'] * 100:.1f}% of a core)",
        ]
    )
