"""Smoke test: benchmarks/answer_parse.py runs at a tiny size and prints every shape."""

from __future__ import annotations

import subprocess
import sys

from routr_cli.paths import PROJECT_ROOT


def test_answer_parse_benchmark_runs_and_prints_each_shape() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "answer_parse.py"),
         "--max-kb", "32", "--repeat", "1"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert {row[0] for row in rows} == {"fallback", "blocks", "anchors"}
    assert len(rows) == 6 and all(float(row[2]) >= 0 for row in rows)
