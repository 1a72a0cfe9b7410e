"""Smoke test for ``benchmarks/serve_log_stall.py``: a tiny paced load, so it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serve_log_stall_measures_latency_and_loop_stalls_with_the_log_on_and_off() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "serve_log_stall.py"), "--rate", "50",
         "--duration", "1", "--json"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [r["log"] for r in rows] == ["on", "off"]
    for row in rows:
        assert row["n"] == 50 and row["errors"] == 0
        assert row["ticks"] > 100 and row["stall_max_ms"] >= row["stall_p99_ms"] >= 0
        assert 0 < row["p50_ms"] <= row["p99_ms"] <= row["max_ms"]
    on, off = rows
    assert on["written"] == 100 and on["dropped"] == 0  # the warm-up's 50 and the run's
    assert on["log_process_cpu_ms_per_request"] >= 0  # read from /proc while it ran
    assert off["written"] == 0
