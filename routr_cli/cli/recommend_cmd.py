"""`routr recommend "describe the task"`: which models fit, from the category standings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from routr_cli.ranking import Recommendation


def _render(rec: Recommendation) -> str:
    from routr_cli.cli.rank_cmd import label

    cats = ", ".join(f"{c} {w * 100:.0f}%" for c, w in rec.categories.items()) or "none matched"
    lines = [f"matched: {cats}; language: {rec.language or 'not detected'}"]
    for name, words in rec.evidence.items():
        if words:
            lines.append(f"  {name}: {', '.join(words)}")
    for note in rec.notes:
        lines.append(f"note: {note}")
    if not rec.recommendations:
        lines.append("no model meets the constraints")
    for i, pick in enumerate(rec.recommendations, start=1):
        lines.append(f"{i}. {label(pick.model, pick.simulated)}")
        lines.extend(f"     {reason}" for reason in pick.reasons)
    for item in rec.excluded:
        lines.append(f"excluded {item['model']}: {item['reason']}")
    return "\n".join(lines)


def recommend(
    text: str = typer.Argument(..., help="The task, in your words."),
    language: str | None = typer.Option(None, "--language", help="Override the detected language."),
    max_cost_per_solved: float | None = typer.Option(
        None, "--max-cost-per-solved", min=0, help="Only models at most this USD per solved task."
    ),
    max_price_per_mtok: float | None = typer.Option(
        None,
        "--max-price-per-mtok",
        min=0,
        help="Only models at most this USD per million tokens (3:1 input:output).",
    ),
    provider: list[str] = typer.Option([], "--provider", help="Only this provider (repeatable)."),
    exclude_provider: list[str] = typer.Option(
        [], "--exclude-provider", help="Never this provider (repeatable)."
    ),
    solver: str | None = typer.Option(
        None, "--solver", help="Solver standings to use (default: edit)."
    ),
    top: int = typer.Option(3, "--top", min=1, help="How many models to name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    draws: int = typer.Option(1000, "--draws", min=100, help="Bootstrap draws."),
) -> None:
    """Recommend models for a described task, with the reasons."""
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_db
    from routr_cli.ranking import Constraints, standings
    from routr_cli.ranking import recommend as recommend_models

    if not text.strip():
        raise ConfigError(
            'describe the task: routr recommend "fix a data race in a Go worker pool"'
        )
    path = db if db is not None else default_db()
    from routr_cli.cli.rank_cmd import attempts_summary

    board = standings(attempts_summary(path), draws=draws, languages=True)
    prices = None
    if max_price_per_mtok is not None:
        from routr_cli.providers.pricing import load_catalog
        from routr_cli.ranking.recommendation import blended_price

        prices = {
            name: blended_price(p.input_per_mtok, p.output_per_mtok)
            for name, p in load_catalog().items()
        }
    constraints = Constraints(
        max_cost_per_solved=max_cost_per_solved,
        max_price_per_mtok=max_price_per_mtok,
        providers=tuple(provider),
        exclude_providers=tuple(exclude_provider),
    )
    rec = recommend_models(
        text,
        board,
        language=language,
        constraints=constraints,
        top=top,
        solver=solver,
        prices=prices,
    )
    if as_json:
        typer.echo(json.dumps(rec.as_json(), indent=2))
    else:
        typer.echo(_render(rec))
