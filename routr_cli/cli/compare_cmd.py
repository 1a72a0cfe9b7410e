"""`routr compare A B` (paired, shared tasks only) and `routr compare --all` (stored for the site)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from routr_cli.ranking import Comparison


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"


def _pts(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:+.1f}"


def _ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"


def render(c: Comparison) -> str:
    """The comparison for people: both rates, the paired difference, the test, the verdict."""
    from routr_cli.cli.rank_cmd import label
    from routr_cli.text import plural

    sim = "ulated" if c.simulated else ""
    a = label(c.a, c.simulated and c.a.startswith("sim/"))
    b = label(c.b, c.simulated and c.b.startswith("sim/"))
    lines = [
        f"{a} vs {b}: category {c.category}, solver {c.solver}, "
        f"{plural(c.n_shared, 'shared task')} (up to {plural(c.epochs, 'epoch')} each)",
        f"  {c.a:<24} {_pct(c.pass_a):>7} [{_pct(c.ci_a_low)}-{_pct(c.ci_a_high)}]",
        f"  {c.b:<24} {_pct(c.pass_b):>7} [{_pct(c.ci_b_low)}-{_pct(c.ci_b_high)}]",
        f"  difference (A-B)          {_pts(c.diff):>7} points, 95% CI [{_pts(c.diff_ci_low)}, {_pts(c.diff_ci_high)}]",
        f"  wins / ties / losses      {c.wins} / {c.ties} / {c.losses}",
        f"  test                      {c.test}, p = {'-' if c.p_value is None else f'{c.p_value:.3g}'}"
        + ("" if c.q_value is None else f", q = {c.q_value:.3g}"),
        f"  detectable at 80% power   {'-' if c.mde is None else f'{c.mde * 100:.1f}'} points"
        + (
            ""
            if c.tasks_needed is None
            else f"; ~{c.tasks_needed} shared tasks to resolve the observed difference"
        ),
        f"  cost per solved A/B       {_ratio(c.cost_ratio)};  latency A/B {_ratio(c.latency_ratio)}",
        f"verdict: {c.verdict}" + (" (simulated)" if sim else ""),
    ]
    return "\n".join(lines)


def compare(
    a: str | None = typer.Argument(None, help="Model A (e.g. the new one)."),
    b: str | None = typer.Argument(None, help="Model B (e.g. the baseline)."),
    compare_every: bool = typer.Option(
        False,
        "--all",
        help="Every pair in every category, with Benjamini-Hochberg; stored for the site.",
    ),
    category: str | None = typer.Option(
        None, "--category", help="Compare within this category (any case)."
    ),
    solver: str | None = typer.Option(
        None, "--solver", help="Solver, e.g. edit or repair@2 (default: edit)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    fail_if_worse: bool = typer.Option(
        False,
        "--fail-if-worse",
        help="Exit 1 when A is significantly worse than B (a CI regression gate).",
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    draws: int = typer.Option(2000, "--draws", min=100, help="Bootstrap and permutation draws."),
    seed: int = typer.Option(0, "--seed", help="Seed (results are reproducible)."),
) -> None:
    """Compare two models on their shared tasks, or every pair with --all."""
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_db

    path = db if db is not None else default_db()
    if compare_every:
        if a or b or category or fail_if_worse:
            raise ConfigError(
                "compare --all takes no models, --category or --fail-if-worse: drop them"
            )
        _compare_all(path, draws=min(draws, 1000), seed=seed, as_json=as_json)
        return
    if not a or not b:
        raise ConfigError("compare needs two models (routr compare A B) or --all")
    from routr_cli.cli.rank_cmd import attempts_summary
    from routr_cli.ranking import compare as compare_pair

    result = compare_pair(
        attempts_summary(path), a, b, category=category, solver=solver, draws=draws, seed=seed
    )
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2))
    else:
        typer.echo(render(result))
    if fail_if_worse and result.winner == result.b:
        typer.echo(f"regression: {result.a} is significantly worse than {result.b}", err=True)
        raise typer.Exit(1)


def _compare_all(path: Path, *, draws: int, seed: int, as_json: bool) -> None:
    from routr_cli.cli.rank_cmd import attempts_summary
    from routr_cli.ranking import compare_all
    from routr_cli.store import Store
    from routr_cli.store.comparisons import write_comparisons

    results = compare_all(attempts_summary(path), draws=draws, seed=seed)
    with Store.open(path) as store:
        write_comparisons(store, results)
    if as_json:
        typer.echo(json.dumps([c.as_json() for c in results], indent=2))
        return
    decided = [c for c in results if c.winner]
    typer.echo(
        f"{len(results)} comparisons stored in {path} ({len(decided)} with a winner at q < 0.05, "
        "Benjamini-Hochberg across all of them)"
    )
    for c in decided:
        typer.echo(f"  [{c.solver} / {c.category}] {c.verdict}")
