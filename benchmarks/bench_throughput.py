"""Bench runner throughput, and Routr's own time per attempt.

Runs the real pipeline (in-process sim server at zero latency, real Docker grading, a
fresh DuckDB file per configuration) with ``--jobs`` 1, 2 and 4, and prints:

- attempts per minute for each ``--jobs`` (bounded by sandbox grading on this host:
  gradings run at most ``os.cpu_count()`` at a time);
- Routr's own time per attempt, median and p90: the worker's wall time for the attempt
  minus the model time and the sandbox time the solver measured, plus the store write
  (scheduling hand-off, prompt building, parsing and applying the edit, caching,
  writing the row). Target: median < 50 ms.

Usage: .venv/bin/python benchmarks/bench_throughput.py [--epochs N] [--jobs 1 2 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from routr_cli.bench.runner import RunTotals
from routr_cli.bench.session import BenchOptions, run_bench
from routr_cli.paths import PROJECT_ROOT
from routr_cli.store.records import AttemptRecord

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"
MODELS = ["sim/frontier", "sim/swift", "sim/budget", "sim/flaky"]
TARGET_OWN_MS = 50.0
# The tiny run tests/benchmarks runs so this script cannot rot.
SMOKE_ARGS = ["--epochs", "1", "--jobs", "1"]
SMOKE_DOCKER = True


class Quiet:
    """A progress sink that prints nothing (the figures are the output)."""

    def attempt_done(self, record: AttemptRecord, totals: RunTotals) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def run_once(
    jobs: int, epochs: int, tasks_dir: Path, workdir: Path
) -> tuple[int, float, list[float]]:
    options = BenchOptions(
        models=MODELS,
        tasks_dir=tasks_dir,
        db=workdir / f"jobs{jobs}.duckdb",
        epochs=epochs,
        jobs=jobs,
        sim_latency_scale=0.0,
        seed=jobs,
    )
    started = time.perf_counter()
    report = run_bench(options, lambda total: Quiet(), lambda line: None)
    wall = time.perf_counter() - started
    return report.outcome.recorded, wall, report.outcome.totals.own_time_s


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--epochs", type=int, default=2, help="epochs per configuration (default 2)"
    )
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--tasks", type=Path, default=FIXTURES, help="task folder (default: test fixtures)"
    )
    args = parser.parse_args()

    print(f"tasks: {args.tasks}  models: {', '.join(MODELS)} (simulated, zero latency)")
    print(
        f"{'jobs':>4}  {'attempts':>8}  {'wall s':>7}  {'attempts/min':>12}  {'own ms p50':>10}  {'own ms p90':>10}"
    )
    all_own: list[float] = []
    with tempfile.TemporaryDirectory(prefix="routr-throughput-") as tmp:
        for jobs in args.jobs:
            recorded, wall, own = run_once(jobs, args.epochs, args.tasks, Path(tmp))
            all_own.extend(own)
            own_ms = sorted(x * 1000 for x in own)
            p50 = statistics.median(own_ms) if own_ms else float("nan")
            p90 = own_ms[int(0.9 * (len(own_ms) - 1))] if own_ms else float("nan")
            rate = recorded / wall * 60 if wall else 0.0
            print(
                f"{jobs:>4}  {recorded:>8}  {wall:>7.1f}  {rate:>12.1f}  {p50:>10.1f}  {p90:>10.1f}"
            )
    overall = statistics.median(all_own) * 1000 if all_own else float("nan")
    verdict = "OK" if overall < TARGET_OWN_MS else "ABOVE TARGET"
    print(
        f"Routr's own time per attempt, median over all runs: {overall:.1f} ms (target < {TARGET_OWN_MS:.0f} ms): {verdict}"
    )
    return 0 if overall < TARGET_OWN_MS else 1


if __name__ == "__main__":
    sys.exit(main())
