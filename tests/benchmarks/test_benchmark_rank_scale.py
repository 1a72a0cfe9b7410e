"""Smoke test: benchmarks/rank_scale.py builds its synthetic database and times both
commands at a tiny size, so the script cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys

from routr_cli.paths import PROJECT_ROOT


def test_rank_scale_benchmark_runs_and_prints_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "rank_scale.py"),
         "--models", "4", "--tasks", "40", "--epochs", "2", "--repeat", "1", "--draws", "100"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "built 320 attempts (4 models x 40 tasks x 2 epochs, 8 categories)" in out
    rank = next(x for x in out.splitlines() if x.startswith("routr rank --json"))
    assert float(re.findall(r"median ([\d.]+) s", rank)[0]) > 0 and "(100 draws, 36 rows)" in rank
    compare = next(x for x in out.splitlines() if x.startswith("routr compare --all"))
    assert "(6 pairs x 9 slices, BH)" in compare
    assert (
        "54 comparisons stored" in out
        and "CPU " in compare
        and "load average while measuring" in out
    )
