"""Smoke tests for the serve benchmarks: a tiny load each, so the scripts cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("generator", ["loadgen", "hey"])
def test_serve_overhead_prints_added_latency(generator: str) -> None:
    out = run(
        "serve_overhead.py", "--rate", "20", "--duration", "1", "--delays", "0", "--no-litellm",
        "--generator", generator,
    )  # fmt: skip
    rows = [
        line.split() for line in out.splitlines() if line.strip().startswith(("direct", "routr"))
    ]
    assert [r[0] for r in rows] == ["direct", "routr"] * 2  # whole and streamed
    assert all(r[r.index("errors") + 1].rstrip(",") == "0" for r in rows), out
    assert "added p50" in out
    # Which generator sent the load, and its own CPU per request, on every row.
    assert out.startswith(f"generator: {generator}")
    assert all(f"{generator} CPU" in " ".join(r) and r[-1] == "us/request" for r in rows), out


def test_serve_soak_prints_memory_drift() -> None:
    out = run("serve_soak.py", "--rate", "20", "--minutes", "0.1")
    assert "rss drift" in out
    assert ", errors 0" in out.splitlines()[0], out
    assert "generator: loadgen" in out and "loadgen CPU:" in out


def test_serve_cpu_prints_cpu_per_request_out_of_and_in_process() -> None:
    out = run("serve_cpu.py", "--requests", "40", "--concurrency", "4", "--log-wait", "0.2")
    lines = [line for line in out.splitlines() if line.startswith(("whole", "streamed"))]
    assert len(lines) == 2 and all("ms CPU/request" in ln and "errors 0" in ln for ln in lines)
    assert all("its call log's process" in ln and "in all" in ln for ln in lines), lines
    out = run("serve_cpu.py", "--in-process", "--profile", "--requests", "40", "--top", "5")
    assert "(uvicorn + app)" in out and "errors 0" in out and "function calls" in out


def test_serve_cpu_canned_measures_routr_without_the_http_client() -> None:
    out = run(
        "serve_cpu.py", "--canned", "--requests", "40", "--concurrency", "4",
        "--prompt-chars", "1500",
    )  # fmt: skip
    lines = [line for line in out.splitlines() if line.startswith(("whole", "streamed"))]
    assert len(lines) == 2 and all("canned upstream" in ln and "errors 0" in ln for ln in lines)
