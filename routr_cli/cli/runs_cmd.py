"""`routr runs`: the bench runs a database holds, listed and shown one at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(no_args_is_help=True)

DB_HELP = "Results database (default: reports/routr.duckdb or $ROUTR_DB)."


def _db(db: Path | None) -> Path:
    from routr_cli.paths import default_db

    return db if db is not None else default_db()


def _models(row: dict[str, Any]) -> str:
    from routr_cli.providers.sim.catalog import display_name

    return ", ".join(display_name(m, row["simulated"]) for m in row["models"]) or "-"


@app.command("list")
def list_runs(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Show the newest N runs."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """The runs recorded, newest first: status, models, attempts, solved, cost."""
    from routr_cli.cli.render import Col, data_console, money, plural, print_table
    from routr_cli.store import Store
    from routr_cli.store.inspect import list_runs as read_runs

    with Store.open(_db(db), read_only=True) as store:
        runs = read_runs(store, limit)
    if as_json:
        typer.echo(json.dumps(runs, indent=2))
        return
    if not runs:
        typer.echo("no runs recorded yet: run `routr bench -m MODEL`", err=True)
        return
    columns = [
        Col("run", 0),
        Col("status", 0),
        Col("started", 3),
        Col("models", 2),
        Col("attempts", 1, "right"),
        Col("solved", 0, "right"),
        Col("errors", 3, "right"),
        Col("cost", 2, "right"),
    ]
    rows = [
        [
            r["id"],
            r["status"],
            r["started_at"][:19].replace("T", " "),
            _models(r),
            str(r["attempts"]),
            str(r["solved"]),
            str(r["provider_errors"]),
            money(r["cost_usd"]),
        ]
        for r in runs
    ]
    print_table(data_console(), columns, rows, title=plural(len(runs), "run"))


@app.command("show")
def show_run(
    run_id: str = typer.Argument(..., metavar="RUN", help="Run id, or a unique prefix of one."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One run: its command line, options, and what it recorded per model."""
    from routr_cli.cli.render import (
        Col,
        data_console,
        money,
        plural,
        print_table,
        safe_text,
        seconds,
    )
    from routr_cli.providers.sim.catalog import display_name
    from routr_cli.store import Store
    from routr_cli.store.inspect import show_run as read_run

    with Store.open(_db(db), read_only=True) as store:
        run = read_run(store, run_id)
    if as_json:
        typer.echo(json.dumps(run, indent=2))
        return
    console = data_console()
    lines = [
        ("run", run["id"]),
        ("status", run["status"]),
        ("started", run["started_at"]),
        ("finished", run["finished_at"] or "-"),
        ("routr", run["routr_version"]),
        ("command", " ".join(run["argv"])),
        ("options", json.dumps(run["config"], sort_keys=True)),
        ("recorded", f"{plural(run['attempts'], 'attempt')}, {run['solved']} solved"),
        ("statuses", ", ".join(f"{k} {v}" for k, v in run["statuses"].items()) or "-"),
    ]
    for label, value in lines:
        typer.echo(f"{label:<9} {safe_text(str(value))}")
    if not run["per_model"]:
        return
    columns = [
        Col("model", 0),
        Col("attempts", 1, "right"),
        Col("solved", 0, "right"),
        Col("errors", 3, "right"),
        Col("cost", 2, "right"),
        Col("median latency", 4, "right"),
        Col("tokens", 5, "right"),
    ]
    rows = [
        [
            display_name(m["model"], m["simulated"]),
            str(m["attempts"]),
            str(m["solved"]),
            str(m["provider_errors"]),
            money(m["cost_usd"]),
            seconds(m["median_latency_s"]),
            f"{int(m['tokens'] or 0):,}",
        ]
        for m in run["per_model"]
    ]
    print_table(console, columns, rows)
