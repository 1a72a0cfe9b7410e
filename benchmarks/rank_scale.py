"""Ranking at scale: `routr rank --json` and `routr compare --all` on a million attempts.

Builds a synthetic results database with DuckDB itself (default: 40 models x 2,500
tasks x 10 epochs = 1,000,000 attempts over 8 categories; each model has a skill, each
task a difficulty, outcomes drawn from a hash so the file is the same every time), then
times the real commands end to end in a subprocess (Python start-up, the query, the
statistics, the output), median of ``--repeat`` runs:

- ``routr rank --json`` with 1,000 bootstrap draws (target <= 2 s);
- ``routr compare --all`` over every pair x (overall + each category) with
  Benjamini-Hochberg, stored in the database (target <= 10 s; 780 pairs x 9 slices at
  the default size).

Usage: .venv/bin/python benchmarks/rank_scale.py [--models 40] [--tasks 2500]
       [--epochs 10] [--repeat 5] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from routr_cli.store import Store

CATEGORIES = (
    "bugfix", "feature", "refactor", "performance", "api-migration", "concurrency",
    "data-processing", "security",
)  # fmt: skip
TARGET_RANK_S = 2.0
TARGET_COMPARE_S = 10.0
ROUTR = Path(sys.executable).parent / "routr"


def build(path: Path, models: int, tasks: int, epochs: int) -> int:
    """Write the synthetic attempts; returns how many."""
    cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    with Store.open(path) as store:
        con = store.con
        con.execute(
            f"INSERT INTO task_snapshots SELECT 'h' || t, 't' || t, 'T', {cats}[1 + t % 8], "
            "'python', 'medium', 1, 1, TIMESTAMP '2026-01-01', NULL FROM range(?) r(t)",
            [tasks],
        )
        # P(solve) = skill(model) - difficulty(task), clipped; the draw is a hash of
        # (model, task, epoch) so every build is identical.
        con.execute(
            f"""
            INSERT INTO attempts BY NAME
            SELECT
                'k-' || m || '-' || t || '-' || e AS attempt_key, 'run' AS run_id,
                't' || t AS task_id, 'h' || t AS task_hash, {cats}[1 + t % 8] AS category,
                'sim/m' || lpad(m::VARCHAR, 2, '0') AS model, 'sim' AS provider,
                true AS simulated, 'edit' AS solver, '{{}}'::JSON AS solver_params,
                e AS epoch, CASE WHEN ok THEN 'solved' ELSE 'failed' END AS status,
                ok AS solved, ok::INT::DOUBLE AS score,
                CASE WHEN ok THEN NULL ELSE 'tests_failed' END AS reason, 1 AS turns,
                ok AS first_turn_solved, 2000 AS input_tokens, 300 AS output_tokens,
                0 AS cached_input_tokens, 0 AS cache_write_tokens, 0 AS reasoning_tokens,
                0.001 * (1 + m % 7) AS cost_usd, 1.0 + (m % 5) + (hash(m, t, e, 'l') % 1000) / 1000.0 AS latency_s,
                2.0 AS grade_duration_s, false AS timed_out, 0 AS cached_responses,
                '[]'::JSON AS transcript, TIMESTAMP '2026-01-01' + INTERVAL (e) MINUTE AS created_at
            FROM (
                SELECT m, t, e,
                    (hash(m, t, e) % 10000) / 10000.0
                        < greatest(0.02, least(0.98, 0.2 + 0.6 * m / ? - 0.3 * ((t * 7919) % 100) / 100.0 + 0.15)) AS ok
                FROM range(?) a(m), range(?) b(t), range(?) c(e)
            )
            """,
            [max(models - 1, 1), models, tasks, epochs],
        )
        return int(con.execute("SELECT count(*) FROM attempts").fetchone()[0])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], repeat: int) -> tuple[float, list[float], float, str]:
    """Median wall time of ``routr ARGS`` over ``repeat`` runs, the median CPU time
    (user + system, all threads) and the last output. On a shared machine the wall time
    includes waiting for a core; the CPU time is what the command itself costs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    times = []
    cpus = []
    out = ""
    for _ in range(repeat):
        start = time.perf_counter()
        cpu = _children_cpu()
        result = subprocess.run(
            [str(ROUTR), *args], capture_output=True, text=True, env=env, check=False
        )
        times.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
        if result.returncode != 0:
            raise SystemExit(f"routr {' '.join(args)} failed: {result.stderr.strip()}")
        out = result.stdout
    return statistics.median(times), times, statistics.median(cpus), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=2500)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--db", type=Path, help="Keep the synthetic database here.")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="routr-rank-scale-") as folder:
        path = opts.db or Path(folder) / "scale.duckdb"
        if path.exists():
            path.unlink()
        start = time.perf_counter()
        n = build(path, opts.models, opts.tasks, opts.epochs)
        print(f"built {n:,} attempts ({opts.models} models x {opts.tasks:,} tasks x {opts.epochs} epochs, "
              f"{len(CATEGORIES)} categories) in {time.perf_counter() - start:.1f} s")  # fmt: skip
        rank_s, rank_all, rank_cpu, out = timed(
            ["rank", "--json", "--db", str(path), "--draws", str(opts.draws)], opts.repeat
        )
        rows = out.count('"model":')
        print(f"routr rank --json ({opts.draws} draws, {rows:,} rows): median {rank_s:.2f} s "
              f"of {opts.repeat} {[round(t, 2) for t in rank_all]}, CPU {rank_cpu:.2f} s (target <= {TARGET_RANK_S:.0f} s)")  # fmt: skip
        cmp_s, cmp_all, cmp_cpu, out = timed(["compare", "--all", "--db", str(path)], opts.repeat)
        pairs = opts.models * (opts.models - 1) // 2
        print(f"routr compare --all ({pairs:,} pairs x {len(CATEGORIES) + 1} slices, BH): median {cmp_s:.2f} s "
              f"of {opts.repeat} {[round(t, 2) for t in cmp_all]}, CPU {cmp_cpu:.2f} s (target <= {TARGET_COMPARE_S:.0f} s)")  # fmt: skip
        print(out.splitlines()[0] if out else "")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
