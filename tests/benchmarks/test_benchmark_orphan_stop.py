"""Smoke test: benchmarks/orphan_stop.py runs once and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from routr_cli.paths import PROJECT_ROOT


@pytest.mark.docker
def test_orphan_stop_benchmark_runs_and_reports_within_target() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "orphan_stop.py"), "--runs", "1"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert re.search(r"stopped after\s+median \d+\.\d{3} s\s+max \d+\.\d{3} s", result.stdout)
    assert "every one < 60 s: OK" in result.stdout
