"""The site at scale: build time, rendering rate, page weight and incremental rebuilds.

Makes a synthetic results database (default 1,000,000 attempts: 40 models x 2,500
tasks x 10 epochs, 8 categories, 3 languages; seeded, written by DuckDB itself), stores
its ``compare --all`` results as ``routr compare --all`` does, then times (median of
``--repeat``):

- a full build from the database: reading the attempt frame, the statistics
  (standings overall, per category and per language; stored comparisons read), the
  data files and every page, into an empty folder;
- the rendering rate (pages rendered and written per second of that step);
- the median page weight;
- a rebuild after one more model's attempts are added (and compare --all re-stored),
  with how many files it rewrote.

    python benchmarks/site_scale.py [--models 40] [--tasks 2500] [--epochs 10] [--repeat 3]

Output goes under /dev/shm when it exists (the figures are the software's, not the
disk's; ``--dir`` to choose). Targets: full build <= 15 s, >= 2,000 pages/s, median
page <= 50 KB, rebuild <= 5 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CATEGORIES = (
    "bugfix", "feature", "refactor", "performance", "api-migration", "concurrency",
    "data-processing", "security",
)  # fmt: skip
LANGUAGES = ("python", "javascript", "go")


def _attempts_sql(model_from: int, model_to: int, tasks: int, epochs: int) -> str:
    """One INSERT of every (model, task, epoch) attempt, outcomes from a seeded hash."""
    cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    return f"""
    INSERT INTO attempts BY NAME
    SELECT
        printf('m%02d-t%05d-e%d', m, t, e) AS attempt_key, 'run-bench' AS run_id,
        printf('task-%05d', t) AS task_id, printf('hash-%05d', t) AS task_hash,
        {cats}[1 + t % 8] AS category,
        printf('vendor%d/model-%02d', m % 5, m) AS model, printf('vendor%d', m % 5) AS provider,
        false AS simulated, 'edit' AS solver, '{{"max_turns": 1}}' AS solver_params, e AS epoch,
        CASE WHEN solved THEN 'solved' ELSE 'tests_failed' END AS status, solved,
        CASE WHEN solved THEN 1.0 ELSE 0.0 END AS score,
        CASE WHEN solved THEN NULL ELSE 'tests_failed' END AS reason,
        NULL AS error_message, 1 AS turns, solved AS first_turn_solved,
        4000 AS input_tokens, 600 AS output_tokens, 0 AS cached_input_tokens,
        0 AS cache_write_tokens, 0 AS reasoning_tokens,
        0.0005 * (1 + m % 9) AS cost_usd, NULL AS provider_cost_usd,
        1.0 + (m % 7) + (hash(m, t, e, 'lat') % 1000) / 500.0 AS latency_s,
        2.0 AS grade_duration_s, false AS timed_out, 0 AS cached_responses,
        '[]' AS transcript,
        TIMESTAMP '2026-11-01 00:00:00' + to_seconds(m * 100000 + t * 10 + e) AS created_at
    FROM (
        SELECT m, t, e,
            (hash(m, t, e) % 10000) / 10000.0
                < 0.15 + 0.7 * ((m * 37 + (t % 8) * 11) % 100) / 100.0 AS solved
        FROM range({model_from}, {model_to}) AS a(m), range({tasks}) AS b(t),
             range({epochs}) AS c(e)
    )
    """


def make_db(path: Path, models: int, tasks: int, epochs: int) -> None:
    from routr_cli.store import Store

    with Store.open(path) as store:
        con = store.con
        con.execute(
            "INSERT INTO runs VALUES ('run-bench', TIMESTAMP '2026-11-01', NULL, '[]', "
            "'0.1.0', '{}', 'completed')"
        )
        langs = "[" + ", ".join(f"'{x}'" for x in LANGUAGES) + "]"
        cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
        con.execute(
            f"INSERT INTO task_snapshots SELECT printf('hash-%05d', t), printf('task-%05d', t), "
            f"printf('Synthetic task %d', t), {cats}[1 + t % 8], {langs}[1 + t % 3], "
            "['easy', 'medium', 'hard'][1 + t % 3], 3 + t % 7, 100 + t % 900, "
            f"TIMESTAMP '2026-10-01', NULL FROM range({tasks}) AS r(t)"
        )
        con.execute(_attempts_sql(0, models, tasks, epochs))


def add_model(path: Path, index: int, tasks: int, epochs: int) -> None:
    from routr_cli.store import Store

    with Store.open(path) as store:
        store.con.execute(_attempts_sql(index, index + 1, tasks, epochs))


def store_comparisons(path: Path) -> float:
    """What `routr compare --all` does: compute every comparison and store it."""
    from routr_cli.cli.rank_cmd import attempts_summary
    from routr_cli.ranking import compare_all
    from routr_cli.store import Store
    from routr_cli.store.comparisons import write_comparisons

    started = time.perf_counter()
    found = compare_all(attempts_summary(path))
    with Store.open(path) as store:
        write_comparisons(store, found)
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children once reaped: the
    build's forked workers and data-file processes included. Steadier than the wall
    clock on a shared machine, where other work takes the cores."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(db: Path, out: Path) -> tuple[float, object, dict[str, float]]:
    """What `routr site build` does, timed from the database to the last file (the
    timings also carry its CPU time, every process's, as ``cpu``)."""
    from routr_cli.cli.site_cmd import build_from_store
    from routr_cli.site import SiteOptions

    started, cpu = time.perf_counter(), cpu_seconds()
    report, timings = build_from_store(
        db, out, SiteOptions(base_url="https://example.org/routr/"), tasks_dir=None,
        draws=1000, compare_draws=2000,
    )  # fmt: skip
    timings["cpu"] = cpu_seconds() - cpu
    return time.perf_counter() - started, report, timings


def _steps(report: object) -> str:
    r: Any = report
    return (
        f"plan {r.plan_s:.2f} s, fingerprints, render and write {r.pages_s:.2f} s "
        f"({r.rendered:,} pages rendered; {r.render_s:.2f} s with the data files' end), "
        f"sitemaps/static/grader data/manifest {r.write_s:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=2500)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)
    base = args.dir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="routr-site-bench-", dir=base))
    try:
        return _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path) -> int:
    db = work / "bench.duckdb"
    started = time.perf_counter()
    make_db(db, args.models, args.tasks, args.epochs)
    n = args.models * args.tasks * args.epochs
    print(f"database: {n:,} attempts ({args.models} models x {args.tasks} tasks x "
          f"{args.epochs} epochs) in {time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"compare --all (stored): {store_comparisons(db):.1f} s")
    fulls, rates, details = [], [], []
    report = None
    for i in range(args.repeat):
        out = work / f"site-{i}"
        seconds, report, timings = build(db, out)
        fulls.append(seconds)
        rates.append(report.pages_per_s)  # type: ignore[attr-defined]
        details.append(timings)
    assert report is not None
    sizes = sorted(p.stat().st_size for p in (work / "site-0").rglob("*.html"))
    median_kb = statistics.median(sizes) / 1024
    read = statistics.median(d["read"] for d in details)
    stats = statistics.median(d["statistics"] for d in details)
    attempts = statistics.median(d["attempt files"] for d in details)
    others = statistics.median(d["other data files"] for d in details)
    print(f"pages: {report.summary()}")  # type: ignore[attr-defined]
    print(f"page steps (last build): {_steps(report)}")
    print(f"full build: median {statistics.median(fulls):.2f} s of {[round(f, 2) for f in fulls]} "
          f"(statistics {stats:.2f} s with the store read beside them in {read:.2f} s; attempt "
          f"files {attempts:.2f} s in a process of their own from the start; the other data "
          f"files {others:.2f} s in another, from the statistics' end)  target <= 15 s")  # fmt: skip
    print(f"full build CPU time, every process: median "
          f"{statistics.median(d['cpu'] for d in details):.2f} s of "
          f"{[round(d['cpu'], 2) for d in details]}")  # fmt: skip
    print(f"rendering: median {statistics.median(rates):,.0f} pages/s  target >= 2,000")
    print(f"page weight: median {median_kb:.1f} KB, largest {sizes[-1] / 1024:.1f} KB over "
          f"{len(sizes):,} pages  target median <= 50 KB")  # fmt: skip
    rebuilds, rewrote, rendered, cpus = [], [], [], []
    again, timings = None, {}
    for i in range(args.repeat):
        add_model(db, args.models + i, args.tasks, args.epochs)
        store_comparisons(db)
        seconds, again, timings = build(db, work / "site-0")
        rebuilds.append(seconds)
        rewrote.append(again.written)  # type: ignore[attr-defined]
        rendered.append(again.rendered)  # type: ignore[attr-defined]
        cpus.append(timings["cpu"])
    print(f"rebuild after adding one model's {args.tasks * args.epochs:,} attempts: median "
          f"{statistics.median(rebuilds):.2f} s of {[round(r, 2) for r in rebuilds]}, "
          f"rendered {rendered} pages, rewrote {rewrote} files  target <= 5 s")  # fmt: skip
    print(f"rebuild CPU time, every process: median {statistics.median(cpus):.2f} s of "
          f"{[round(c, 2) for c in cpus]}")  # fmt: skip
    print(f"rebuild steps (last): statistics {timings['statistics']:.2f} s (store read beside "
          f"them {timings['read']:.2f} s), {_steps(again)}, attempt files "
          f"{timings['attempt files']:.2f} s, other data files {timings['other data files']:.2f} s "
          f"(the build waited {timings['data']:.2f} s for them)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
