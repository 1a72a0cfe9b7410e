"""Plain-text report."""

from __future__ import annotations

from logstats.aggregate import Aggregator


def render(agg: Aggregator) -> str:
    lines = [f"requests: {agg.total}  malformed lines: {agg.malformed}", ""]
    lines.append(f"{'endpoint':<32} {'count':>7} {'errors':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for s in agg.endpoints():
        lines.append(f"{s.endpoint:<32} {s.count:>7} {s.errors:>6} {s.p50_ms:>9.1f} {s.p95_ms:>9.1f} {s.max_ms:>9.1f}")
    lines.append("")
    lines.append("per hour (UTC):")
    for hour, count in agg.hourly().items():
        lines.append(f"  {hour}  {count}")
    return "\n".join(lines) + "\n"
