"""`routr rank`: read the attempt frame, rank it (pure), render a table, JSON, CSV or Markdown."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from routr_cli.cli.render import money

if TYPE_CHECKING:
    from routr_cli.ranking import Leaderboard, Standing
    from routr_cli.ranking.summary import AttemptSummary

FORMATS = ("table", "json", "markdown", "csv")
# The flat columns of --format csv|markdown (JSON carries every field).
FLAT_COLUMNS = (
    "rank", "tie_group", "model", "simulated", "category", "solver", "metric", "pass_rate",
    "ci_low", "ci_high", "n_tasks", "epochs", "coverage", "rank_ub", "rank_low", "rank_high",
    "p_top1", "p_top3", "bt_score", "cost_per_solved", "cost_ci_low", "cost_ci_high",
    "total_cost", "latency_p50_s", "latency_p90_s", "best_value", "dominated",
)  # fmt: skip


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def label(model: str, simulated: bool) -> str:
    from routr_cli.providers.sim.catalog import display_name

    return display_name(model, simulated)


def tie_letter(group: int | None) -> str:
    """Tie groups as letters: A is the top group; models sharing a letter are tied."""
    if not group:
        return "-"
    letters = ""
    n = group
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def console() -> Any:
    """The data console: COLUMNS, else the terminal, else wide when piped (cli.render)."""
    from routr_cli.cli.render import data_console

    return data_console()


def _marks(s: Standing) -> str:
    marks = []
    if s.best_value:
        marks.append("best value")
    if s.dominated:
        marks.append("dominated")
    if s.tampered:  # grading integrity: never solved (docs/threat-model.md)
        marks.append(f"{s.tampered} tampered")
    if s.suspect:  # flagged by the static scan: not solved until reviewed
        marks.append(f"{s.suspect} suspect")
    return ", ".join(marks)


# The leaderboard's columns. Priority 0 never drops: the rank and tie letter, the model, its pass rate
# with its interval and n (a rate is never shown without them); the rest go, highest
# number first, when the screen is narrow (at 60 columns the key ones remain).
RANK_COLUMNS = (
    ("#", 0, "right"), ("tie", 0, "left"), ("model", 0, "left"), ("pass", 0, "right"),
    ("95% CI", 0, "right"), ("tasks x ep", 0, "right"), ("cover", 3, "right"),
    ("rank range", 4, "right"), ("P(top1)", 5, "right"), ("$/solved [95% CI]", 2, "right"),
    ("p50 s", 6, "right"), ("marks", 7, "left"),
)  # fmt: skip


def _standing_cells(s: Standing) -> list[str]:
    if s.rank is None:
        return [
            "-", "-", label(s.model, s.simulated), "-", "no graded attempts",
            f"0 x {s.epochs}", pct(s.coverage), "-", "-", money(s.total_cost), "-", "unranked",
        ]  # fmt: skip
    cost = money(s.cost_per_solved)
    if s.cost_ci_low is not None:
        cost += f" [{money(s.cost_ci_low)}-{money(s.cost_ci_high)}]"
    return [
        str(s.rank), tie_letter(s.tie_group), label(s.model, s.simulated),
        pct(s.pass_rate), f"{pct(s.ci_low)}-{pct(s.ci_high)}",
        f"{s.n_tasks} x {s.epochs}", pct(s.coverage), f"{s.rank_low}-{s.rank_high}",
        pct(s.p_top1), cost,
        "-" if s.latency_p50_s is None else f"{s.latency_p50_s:.1f}", _marks(s),
    ]  # fmt: skip


def _render_table(board: Leaderboard, scopes: list[tuple[str, str]]) -> None:
    from routr_cli.cli.render import Col, print_table

    out = console()
    columns = [Col(name, priority, justify) for name, priority, justify in RANK_COLUMNS]
    for category, solver in scopes:
        rows = board.for_category(category, solver)
        if not rows:
            continue
        where = "all categories" if category == "all" else f"category {category}"
        metric = rows[0].metric
        title = f"Leaderboard, {where}, solver {solver} ({metric})"
        print_table(out, columns, [_standing_cells(s) for s in rows], title=title)
    out.print(
        "Models sharing a tie letter are statistically tied (95%, task bootstrap); "
        "rank range is the 95% bootstrap interval of the rank.",
        markup=False,
    )


def _flat(s: Standing) -> dict[str, Any]:
    data = s.as_json()
    return {k: data[k] for k in FLAT_COLUMNS}


def _render_csv(rows: list[Standing]) -> None:
    import csv

    writer = csv.DictWriter(sys.stdout, fieldnames=list(FLAT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for s in rows:
        writer.writerow({k: "" if v is None else v for k, v in _flat(s).items()})


def _md_cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).replace("|", "\\|")


def _render_markdown(rows: list[Standing]) -> None:
    columns = list(FLAT_COLUMNS)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for s in rows:
        flat = _flat(s)
        flat["model"] = label(s.model, s.simulated)
        lines.append("| " + " | ".join(_md_cell(flat[c]) for c in columns) + " |")
    typer.echo("\n".join(lines))


def coverage_warning(board: Leaderboard, solver: str) -> str | None:
    """A warning when models in a solver's overall slice were benched on different tasks."""
    rows = [s for s in board.for_category("all", solver) if s.rank is not None]
    cover = [s.coverage for s in rows]
    if not cover or min(cover) >= 1.0:
        return None
    least = min(rows, key=lambda s: s.coverage)
    return (
        f"warning: models were benched on different task sets (coverage {pct(min(cover))} "
        f"for {least.model} to {pct(max(cover))}); comparisons use shared tasks only "
        "(see `routr compare A B`)"
    )


def rank(
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON (every figure) instead of a table."
    ),
    output_format: str = typer.Option(
        "table", "--format", help="table, json, markdown or csv.", metavar="FORMAT"
    ),
    category: list[str] = typer.Option(
        [], "--category", help="Rank within this category only (repeatable; any case)."
    ),
    solver: list[str] = typer.Option(
        [],
        "--solver",
        help="Only this solver, e.g. edit or repair@2 (repeatable; default: each, separately).",
    ),
    source: str = typer.Option(
        "bench",
        "--source",
        help="Where outcomes come from: bench, calls (graded with routr feedback) or all.",
    ),
    draws: int = typer.Option(1000, "--draws", min=100, help="Bootstrap draws."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed (results are reproducible)."),
    all_versions: bool = typer.Option(
        False, "--all-versions", help="Count attempts at older versions of edited tasks too."
    ),
) -> None:
    """Rank models from recorded attempts, with intervals, ties and cost per solved."""
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_db

    fmt = "json" if as_json else output_format.lower()
    if fmt not in FORMATS:
        raise ConfigError(f"unknown --format {output_format!r}: use one of {', '.join(FORMATS)}")
    path = db if db is not None else default_db()
    board = _board(path, source=source, all_versions=all_versions, draws=draws, seed=seed)
    scopes = _scopes(board, category, solver)
    rows = [st for c, s in scopes for st in board.for_category(c, s)]
    for name in sorted({s for _, s in scopes}):
        warning = coverage_warning(board, name)
        if warning:
            typer.echo(warning, err=True)
    if fmt == "json":
        typer.echo(json.dumps([s.as_json() for s in rows], indent=2))
    elif fmt == "csv":
        _render_csv(rows)
    elif fmt == "markdown":
        _render_markdown(rows)
    else:
        solvers = sorted({s for _, s in scopes})
        _render_table(board, scopes if category else [("all", s) for s in solvers])
        if not category and board.categories():
            _render_matrix(board, solvers)


def attempts_summary(
    path: Path, *, source: str = "bench", all_versions: bool = False
) -> AttemptSummary:
    """The database's attempts folded for the statistics; no attempts is a one-line error."""
    from routr_cli.errors import ConfigError
    from routr_cli.store.frame import read_attempt_summary

    summary = read_attempt_summary(path, source=source, all_versions=all_versions)
    if summary.empty:
        raise ConfigError(f"no attempts in {path}: run `routr bench -m MODEL` first")
    return summary


def _board(
    path: Path,
    *,
    source: str = "bench",
    all_versions: bool = False,
    draws: int = 1000,
    seed: int = 0,
) -> Leaderboard:
    from routr_cli.ranking import standings

    summary = attempts_summary(path, source=source, all_versions=all_versions)
    return standings(summary, draws=draws, seed=seed, categories=True)


def _scopes(board: Leaderboard, category: list[str], solver: list[str]) -> list[tuple[str, str]]:
    """(category, solver) slices asked for: each solver separately, never pooled."""
    solvers = [board.resolve_solver(s) for s in solver] or board.solvers()
    categories = [board.resolve_category(c) for c in category] or ["all", *board.categories()]
    return [(c, s) for s in solvers for c in categories]


def rank_json(
    path: Path, category: list[str], solver: list[str], all_versions: bool = False
) -> list[dict[str, Any]]:
    """Exactly what `routr rank --json` prints (`routr export leaderboard` writes it)."""
    board = _board(path, all_versions=all_versions)
    return [
        st.as_json() for c, s in _scopes(board, category, solver) for st in board.for_category(c, s)
    ]


def _render_matrix(board: Leaderboard, solvers: list[str]) -> None:
    """Pass rate per model and category (n tasks), models in overall order; on a narrow
    screen the model stays and the categories that do not fit are named under the table."""
    from routr_cli.cli.render import Col, print_table

    out = console()
    names = board.categories()
    columns = [Col("model", 0), *(Col(name, i + 1, "right") for i, name in enumerate(names))]
    for solver in solvers:
        cells = {(s.model, s.category): s for s in board.rows if s.solver == solver}
        rows = []
        for overall in board.for_category("all", solver):
            row = [label(overall.model, overall.simulated)]
            for name in names:
                s = cells.get((overall.model, name))
                row.append(
                    "-"
                    if s is None or s.pass_rate is None
                    else f"{pct(s.pass_rate)} {tie_letter(s.tie_group)} ({s.n_tasks})"
                )
            rows.append(row)
        title = f"Pass rate by category, solver {solver} (tie letter, n tasks)"
        print_table(out, columns, rows, title=title)
