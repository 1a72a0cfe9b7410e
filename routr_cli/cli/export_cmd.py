"""`routr export`: recorded attempts or the leaderboard as a file for other tools.

DuckDB writes the file (``store.export``); this module parses options and says what it
wrote, on stderr so stdout carries only the data when no file is named.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(no_args_is_help=True)

DB_HELP = "Results database (default: reports/routr.duckdb or $ROUTR_DB)."
FORMAT_HELP = "csv, parquet, jsonl, json or markdown (default: from the -o suffix, else csv)."
OUT_HELP = "File to write (default, or '-': stdout; parquet needs a file)."


def _out(out: str | None) -> Path | None:
    return None if out in (None, "-") else Path(str(out))


def _done(rows: int, out: Path | None, fmt: str) -> None:
    from routr_cli.cli.render import plural

    if out is not None:
        typer.echo(f"wrote {plural(rows, 'row')} to {out} ({fmt})", err=True)


@app.command("attempts")
def export_attempts(
    fmt: str | None = typer.Option(None, "--format", "-f", metavar="FORMAT", help=FORMAT_HELP),
    out: str | None = typer.Option(None, "-o", "--out", metavar="FILE", help=OUT_HELP),
    model: list[str] = typer.Option([], "--model", "-m", help="Only this model (repeatable)."),
    task: list[str] = typer.Option([], "--task", help="Only this task id (repeatable)."),
    status: list[str] = typer.Option([], "--status", help="Only this status (repeatable)."),
    run: list[str] = typer.Option([], "--run", help="Only this run id or prefix (repeatable)."),
    full: bool = typer.Option(
        False, "--full", help="Include the transcript, diff and grading output columns."
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Every recorded attempt, one row each (the columns are in docs/schema.md)."""
    from routr_cli.paths import default_db
    from routr_cli.providers.sim.catalog import display_name
    from routr_cli.store import Store
    from routr_cli.store.export import check_target, choose_format, copy_query
    from routr_cli.store.inspect import AttemptFilter, attempts_query

    target = _out(out)
    chosen = choose_format(fmt, target)
    check_target(chosen, target)  # before opening anything
    columns = "*" if full else "* EXCLUDE (transcript, diff, grade_output)"
    filters = AttemptFilter(tuple(model), tuple(task), tuple(status), tuple(run))
    with Store.open(db if db is not None else default_db(), read_only=True) as store:
        sql, params = attempts_query(store, filters, columns)
        rows = copy_query(store.con, sql, params, chosen, target, display_name)
    _done(rows, target, chosen)


@app.command("leaderboard")
def export_leaderboard(
    fmt: str | None = typer.Option(None, "--format", "-f", metavar="FORMAT", help=FORMAT_HELP),
    out: str | None = typer.Option(None, "-o", "--out", metavar="FILE", help=OUT_HELP),
    category: list[str] = typer.Option(
        [], "--category", help="Only this category (repeatable; default: overall and each)."
    ),
    solver: list[str] = typer.Option([], "--solver", help="Only this solver (repeatable)."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """The leaderboard `routr rank --json` prints, one row per model and category."""
    from routr_cli.cli.rank_cmd import rank_json
    from routr_cli.paths import default_db
    from routr_cli.providers.sim.catalog import display_name
    from routr_cli.store.export import check_target, choose_format, export_records

    target = _out(out)
    chosen = choose_format(fmt, target)
    check_target(chosen, target)
    records = rank_json(db if db is not None else default_db(), category, solver)
    rows = export_records(records, chosen, target, display_name)
    _done(rows, target, chosen)
