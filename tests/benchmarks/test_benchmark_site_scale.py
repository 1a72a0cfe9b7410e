"""Smoke test: benchmarks/site_scale.py runs at a tiny size and prints every figure."""

from __future__ import annotations

import subprocess
import sys

from routr_cli.paths import PROJECT_ROOT


def test_site_scale_benchmark_runs_and_prints_each_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "site_scale.py"),
         "--models", "4", "--tasks", "40", "--epochs", "2", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for figure in ("database: 320 attempts", "full build: median", "rendering: median",
                   "page weight: median", "rebuild after adding one model's 80 attempts"):  # fmt: skip
        assert figure in out, out
    assert "pages (" in out and "rewrote [" in out
