"""`routr bench`: parse flags, call routr_cli.bench, render progress and results.

Exit codes: 0 done, 1 below --fail-under, 6 stopped by --max-cost, 5 a model's
configuration failed (bad key, unknown model, unreachable host), 130 Ctrl-C (143
SIGTERM, 129 SIGHUP: the same clean stop), and
the error tree's codes for bad input (2), Docker (3), the database (4).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

TASKS_HELP = "Folder of task folders (default: the bundled suite, or $ROUTR_TASKS)."


def bench(
    models: list[str] = typer.Option(
        ..., "-m", "--model", help="Model to bench, provider/model (repeatable)."
    ),
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    category: list[str] = typer.Option([], "--category", help="Only this category (repeatable)."),
    task: list[str] = typer.Option([], "--task", help="Only this task id (repeatable)."),
    solver: str = typer.Option(
        "edit", "--solver", help="How the model attacks a task: edit or repair."
    ),
    epochs: int = typer.Option(1, "--epochs", help="Attempts per task and model."),
    jobs: int = typer.Option(4, "--jobs", "-j", help="Attempts in flight (model calls)."),
    max_cost: float | None = typer.Option(
        None,
        "--max-cost",
        help="Stop scheduling before this run's spend (plus estimates in flight) passes USD.",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for the simulated models."),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Do not replay cached model responses (fresh ones are still saved).",
    ),
    shard: str | None = typer.Option(
        None,
        "--shard",
        help="Run shard i of n (e.g. 1/4), split by attempt key; merge with `routr db merge`.",
    ),
    keep_errors: bool = typer.Option(
        False,
        "--keep-errors",
        help="Resume without re-attempting attempts recorded as provider errors.",
    ),
    retry_errors: bool = typer.Option(
        False, "--retry-errors", hidden=True, help="The default now (kept for old scripts)."
    ),
    sample: int | None = typer.Option(
        None,
        "--sample",
        help="Only N of the selected tasks, spread over categories (seeded by --seed).",
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the attempts and a summary as JSON to FILE (- for stdout)."
    ),
    junit_out: Path | None = typer.Option(
        None, "--junit", help="Write one JUnit testcase per attempt to FILE (- for stdout)."
    ),
    fail_under: float | None = typer.Option(
        None, "--fail-under", help="Exit 1 when the pass rate (0..1) is below this."
    ),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Print the plan (attempts, estimated tokens and cost per model); call nothing.",
    ),
    allow_unvalidated: bool = typer.Option(
        False,
        "--allow-unvalidated",
        help="Run tasks that `routr tasks validate --write` has not proven (attempts flagged).",
    ),
    sim_latency: float = typer.Option(
        1.0, "--sim-latency", help="Scale the simulated models' latency (0: answer at once)."
    ),
) -> None:
    """Run tasks against models and grade them in the sandbox."""
    from rich.console import Console

    from routr_cli.bench.keys import parse_shard
    from routr_cli.bench.outputs import check_outputs, write_report
    from routr_cli.bench.progress import make_progress
    from routr_cli.bench.reports import write_json, write_junit
    from routr_cli.bench.runner import BenchInterrupted
    from routr_cli.bench.secrets import scrub_argv
    from routr_cli.bench.session import BenchOptions, plan_bench, run_bench
    from routr_cli.bench.signals import exit_code_for, signal_label, stop_signals_interrupt
    from routr_cli.errors import BudgetReached, ConfigError, ProviderError
    from routr_cli.paths import default_db, default_tasks_dir
    from routr_cli.providers.config import load_provider_configs

    if fail_under is not None and not 0.0 <= fail_under <= 1.0:
        raise ConfigError(f"--fail-under {fail_under}: give a pass rate between 0 and 1, e.g. 0.6")
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    options = BenchOptions(
        models=models,
        tasks_dir=tasks if tasks is not None else default_tasks_dir(),
        db=db if db is not None else default_db(),
        categories=category,
        task_ids=task,
        solver=solver,
        epochs=epochs,
        jobs=jobs,
        max_cost_usd=max_cost,
        seed=seed,
        use_cache=not no_cache,
        shard=parse_shard(shard) if shard else None,
        sample=sample,
        retry_errors=retry_errors or not keep_errors,
        allow_unvalidated=allow_unvalidated,
        sim_latency_scale=sim_latency,
        argv=scrub_argv(
            ["routr", *sys.argv[1:]],
            secret_vars=[c.key_env for c in load_provider_configs().values() if c.key_env],
        ),
    )
    if dry_run:
        for line in plan_bench(options, lambda line: err.print(line, markup=False)):
            typer.echo(line)
        return
    check_outputs(json_out, junit_out, options.db)  # before any model is called
    with stop_signals_interrupt() as received:
        try:
            report = run_bench(options, make_progress, lambda line: err.print(line, markup=False))
        except KeyboardInterrupt:  # outside the runner's handler (planning, a second Ctrl-C)
            stopped = BenchInterrupted(
                "interrupted: recorded attempts are kept; resume with the same command"
            )
            stopped.exit_code = exit_code_for(received, stopped.exit_code)
            raise stopped from None
        except BenchInterrupted as exc:
            exc.exit_code = exit_code_for(received, exc.exit_code)
            if received:
                exc.args = (f"{signal_label(received)}: {exc}",)
            raise
    outcome = report.outcome
    if outcome.message and outcome.stop_reason != "budget":  # the budget's is the error
        err.print(outcome.message, markup=False)
    summary = report.summary
    rate = summary["pass_rate"]
    rate_text = "-" if rate is None else f"{rate:.1%}"
    err.print(
        f"run {report.run_id}: {outcome.recorded} new attempts, spend ${outcome.totals.spend_usd:.4f}; "
        f"{summary['attempts']} of {report.in_scope} planned attempts recorded, "
        f"{summary['solved']} solved ({rate_text}); "
        f"see `routr rank --db {options.db}`",
        markup=False,
    )
    if json_out is not None:
        write_report(
            json_out, "--json", lambda p: write_json(p, report.rows, summary, report.run_id)
        )
    if junit_out is not None:
        write_report(junit_out, "--junit", lambda p: write_junit(p, report.rows))
    if outcome.configuration_failure:  # after the reports: they hold what did run
        raise ProviderError(outcome.configuration_failure)
    if outcome.stop_reason == "budget":
        raise BudgetReached(outcome.message)
    if fail_under is not None and (rate is None or rate < fail_under):
        err.print(f"pass rate {rate_text} is below --fail-under {fail_under:.1%}", markup=False)
        raise typer.Exit(1)
