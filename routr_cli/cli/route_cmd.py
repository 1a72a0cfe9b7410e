"""`routr route eval`: is routing worth it on the recorded attempts? Parse, evaluate, render."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from routr_cli.text import plural

app = typer.Typer(no_args_is_help=True)


def _usd(value: float) -> str:
    return f"${value:.6f}" if value < 0.01 else f"${value:.4f}"


@app.command("eval")
def route_eval(
    folds: int = typer.Option(5, "--folds", "-k", help="Cross-validation folds over tasks."),
    draws: int = typer.Option(1000, "--draws", help="Bootstrap draws for the intervals."),
    seed: int = typer.Option(0, "--seed", help="Seed for the folds and the bootstrap."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
) -> None:
    """Cross-validate auto and auto:cheap against single models, random, the zero-router
    and the oracle, with bootstrap intervals, APGR and the cost-quality AUC."""

    from routr_cli.cli.render import Col, data_console, print_table
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_db
    from routr_cli.router.session import attempt_frame, fit_routing_table
    from routr_cli.router.table import model_infos

    if folds < 2 or draws < 10:
        raise ConfigError("--folds must be at least 2 and --draws at least 10")
    path = db if db is not None else default_db()
    frame = attempt_frame(path)
    if frame.empty:
        raise ConfigError(f"no attempts in {path}: run `routr bench` first")
    from routr_cli.router.evaluate import evaluate

    result = evaluate(
        frame,
        fit_routing_table,
        model_infos(sorted(frame["model"].unique())),
        folds=folds,
        draws=draws,
        seed=seed,
    )
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2))
        return
    console = data_console()
    label = " (simulated)" if result.simulated else ""
    title = (
        f"Routing vs single models{label}: {plural(result.n_tasks, 'held-out task')}, "
        f"{result.folds}-fold, 95% bootstrap intervals"
    )
    # The strategy, its pass rate and interval stay at 60 columns; cost and notes drop.
    columns = [
        Col("strategy", 0), Col("pass rate", 0, "right"), Col("95% CI", 0, "right"),
        Col("cost / task", 1, "right"), Col("95% CI", 2, "right"), Col("note", 3, fold=True),
    ]  # fmt: skip
    rows = [
        [
            s.name,
            f"{s.pass_rate:.1%}",
            f"{s.pass_low:.1%}-{s.pass_high:.1%}",
            _usd(s.cost),
            f"{_usd(s.cost_low)}-{_usd(s.cost_high)}",
            s.note,
        ]
        for s in result.strategies
    ]
    print_table(console, columns, rows, title=title)
    apgr = (
        "n/a (the best model is no better than the cheapest)"
        if result.apgr is None
        else f"{result.apgr:.2f}"
    )
    typer.echo(
        f"APGR {apgr}; cost-quality AUC: router {result.auc_router:.3f}, "
        f"zero-router {result.auc_hull:.3f}; n={plural(result.n_tasks, 'task')}"
        + (
            f" ({result.dropped_tasks} not attempted by every model left out)"
            if result.dropped_tasks
            else ""
        )
    )
    typer.echo(f"verdict: {result.verdict}")
    typer.echo(
        "note: each held-out task is routed by its recorded category (attempts carry no prompt "
        "to classify)"
    )
