"""`routr rank`: read attempts, rank them (pure), render a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from routr_cli.ranking import Leaderboard, Standing


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _money(value: float | None) -> str:
    if value is None:
        return "-"
    return f"${value:.4f}" if value < 1 else f"${value:.2f}"


def _label(standing: Standing) -> str:
    from routr_cli.providers.sim.catalog import display_name

    return display_name(standing.model, standing.simulated)


def _render(board: Leaderboard, categories: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    from routr_cli.ranking import ALL

    console = Console(highlight=False)
    if not console.is_terminal:  # piped: wide enough for every column, never wrapped
        console = Console(highlight=False, width=140)
    scopes = categories or [ALL]
    for scope in scopes:
        standings = board.for_category(scope)
        title = "all categories" if scope == ALL else f"category {scope}"
        table = Table(title=f"Leaderboard, {title}")
        table.add_column("#", justify="right")
        table.add_column("model", no_wrap=True)
        for name in (
            "attempts",
            "solved",
            "pass rate",
            "95% CI",
            "$/solved",
            "median latency",
            "tokens",
            "errors",
        ):
            table.add_column(name, justify="right", no_wrap=True)
        for position, s in enumerate(standings, start=1):
            table.add_row(
                str(position),
                _label(s),
                str(s.attempts),
                str(s.solved),
                _pct(s.pass_rate),
                f"{s.ci_low:.0%}-{s.ci_high:.0%}",
                _money(s.cost_per_solved),
                "-" if s.median_latency_s is None else f"{s.median_latency_s:.2f} s",
                f"{s.total_tokens:,}",
                str(s.provider_errors),
            )
        console.print(table)
    if not categories and board.categories():
        _render_matrix(console, board)


def _render_matrix(console: object, board: Leaderboard) -> None:
    """Pass rate per model and category, models in overall order."""
    from rich.console import Console
    from rich.table import Table

    from routr_cli.ranking import ALL

    assert isinstance(console, Console)
    cells = {(s.model, s.category): s for s in board.standings}
    table = Table(title="Pass rate by category (solved/attempts)")
    table.add_column("model", no_wrap=True)
    for category in board.categories():
        table.add_column(category, justify="right", no_wrap=True)
    for overall in board.for_category(ALL):
        row = [_label(overall)]
        for category in board.categories():
            s = cells.get((overall.model, category))
            row.append("-" if s is None else f"{_pct(s.pass_rate)} ({s.solved}/{s.attempts})")
        table.add_row(*row)
    console.print(table)


def rank(
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    category: list[str] = typer.Option(
        [], "--category", help="Rank within this category only (repeatable)."
    ),
    solver: list[str] = typer.Option(
        [], "--solver", help="Only attempts made with this solver (repeatable; default: all)."
    ),
    all_versions: bool = typer.Option(
        False, "--all-versions", help="Count attempts at older versions of edited tasks too."
    ),
) -> None:
    """Rank models from recorded attempts."""
    from routr_cli.paths import default_db

    path = db if db is not None else default_db()
    board = _board(path, category, solver, all_versions)
    if as_json:
        typer.echo(json.dumps(board_json(board, category), indent=2))
        return
    _render(board, category)


def _board(path: Path, category: list[str], solver: list[str], all_versions: bool) -> Leaderboard:
    from routr_cli.errors import ConfigError
    from routr_cli.ranking import rank
    from routr_cli.store import Store
    from routr_cli.store.read import rank_rows

    with Store.open(path, read_only=True) as store:
        rows = rank_rows(store, category or None, solver or None, all_versions=all_versions)
    if not rows:
        where = f" in category {', '.join(category)}" if category else ""
        raise ConfigError(f"no attempts{where} in {path}: run `routr bench -m MODEL` first")
    return rank(rows)


def board_json(board: Leaderboard, category: list[str]) -> list[dict[str, Any]]:
    from routr_cli.ranking import ALL

    scopes = category or [ALL, *board.categories()]
    return [s.as_json() for scope in scopes for s in board.for_category(scope)]


def rank_json(
    path: Path, category: list[str], solver: list[str], all_versions: bool = False
) -> list[dict[str, Any]]:
    """Exactly what `routr rank --json` prints (`routr export leaderboard` writes it)."""
    return board_json(_board(path, category, solver, all_versions), category)
