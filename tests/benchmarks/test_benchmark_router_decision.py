"""Smoke test: benchmarks/router_decision.py runs briefly and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys

from routr_cli.paths import PROJECT_ROOT


def test_router_decision_benchmark_runs_and_prints_each_objective() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "router_decision.py"),
         "--blocks", "3", "--block", "20"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for objective in ("auto", "auto:cheap", "auto:fast"):
        line = next(x for x in result.stdout.splitlines() if f"choose ({objective})" in x)
        assert float(re.findall(r"CPU median\s+([\d.]+)", line)[0]) > 0
    assert "decision time: worst CPU median" in result.stdout
