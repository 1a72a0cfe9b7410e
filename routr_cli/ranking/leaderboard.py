"""``standings(frame) -> Leaderboard``: one row per (model, category or "all", solver).

The task is the unit: a task's score is the mean over its graded epochs, a pass rate is
the mean of task scores, and every interval resamples tasks (clustered by family), never
epochs. Solvers are never pooled: ``edit`` and ``repair@2`` are separate leaderboards.
A model with attempts but no graded one (every call failed) is listed, unranked.
See docs/methodology.md for every formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from routr_cli.ranking.frame import stamp_text
from routr_cli.ranking.matrix import ALL, LANGUAGE_PREFIX, SolverMatrix, build_matrices
from routr_cli.ranking.names import resolve_category, resolve_solver
from routr_cli.ranking.slices import SliceStats, slice_stats
from routr_cli.ranking.stats import pass_at_k_array, pass_hat_k_array
from routr_cli.ranking.summary import FAILURE_KINDS, AttemptSummary, summarise

if TYPE_CHECKING:
    import pandas as pd

PASS_K = (2, 3, 5, 10)


@dataclass(frozen=True)
class Standing:
    """One model in one slice. Rates are shares in [0, 1]; ``None`` means not known."""

    model: str
    category: str  # a task category, or "all"
    solver: str  # "edit" | "repair@2" | ...
    simulated: bool
    metric: str  # what pass_rate measures: "pass@1" (edit) or the solver's name
    pass_rate: float | None
    ci_low: float | None
    ci_high: float | None
    n_tasks: int
    epochs: int
    coverage: float
    rank: int | None
    rank_ub: int | None
    rank_low: int | None
    rank_high: int | None
    tie_group: int | None
    p_top1: float | None
    p_top3: float | None
    bt_score: float | None
    bt_ci_low: float | None
    bt_ci_high: float | None
    cost_per_solved: float | None
    cost_ci_low: float | None
    cost_ci_high: float | None
    total_cost: float | None
    latency_p50_s: float | None
    latency_p90_s: float | None
    failure_shares: dict[str, float]
    tampered: int
    suspect: int
    attempts: int
    graded: int
    solved: int
    best_value: bool
    dominated: bool
    pass_at_k: dict[str, float | None] = field(default_factory=dict)
    newest_attempt: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Every field, the dicts copied: what ``asdict`` gives (a test holds them
        equal), without its recursive walk, which was a third of a second for the site's
        grader data at 40 models."""
        data = {name: getattr(self, name) for name in _STANDING_FIELDS}
        data["failure_shares"] = dict(self.failure_shares)
        data["pass_at_k"] = dict(self.pass_at_k)
        return data


_STANDING_FIELDS = tuple(f.name for f in fields(Standing))


@dataclass(frozen=True)
class Leaderboard:
    """Every standing, plus each slice's bootstrap draws (for ``recommend``)."""

    rows: tuple[Standing, ...]
    newest_attempt: datetime | None = None
    draws: dict[tuple[str, str], tuple[tuple[str, ...], np.ndarray]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def solvers(self) -> list[str]:
        return sorted({s.solver for s in self.rows})

    @property
    def default_solver(self) -> str | None:
        """``edit`` when present (the standard protocol), else the first solver."""
        names = self.solvers()
        return resolve_solver(None, names) if names else None

    def categories(self) -> list[str]:
        return sorted(
            {
                s.category
                for s in self.rows
                if s.category != ALL and not s.category.startswith(LANGUAGE_PREFIX)
            }
        )

    def resolve_category(self, category: str) -> str:
        """A category as recorded (any case), or a ``language:NAME`` slice the board has;
        unknown names are a ``ConfigError``."""
        if category.lower().startswith(LANGUAGE_PREFIX) and category.lower() in self.languages():
            return category.lower()
        return resolve_category(category, self.categories())

    def languages(self) -> list[str]:
        """The ``language:NAME`` slices computed (``standings(..., languages=True)``)."""
        return sorted({s.category for s in self.rows if s.category.startswith(LANGUAGE_PREFIX)})

    def resolve_solver(self, solver: str | None) -> str:
        """A solver by its shown name (``repair@2``) or stored name (``repair``)."""
        return resolve_solver(solver, self.solvers())

    def for_category(self, category: str = ALL, solver: str | None = None) -> list[Standing]:
        """The slice's standings, best first (unranked models last)."""
        name = self.resolve_category(category)
        wanted = self.resolve_solver(solver)
        rows = [s for s in self.rows if s.category == name and s.solver == wanted]
        return sorted(rows, key=lambda s: (s.rank is None, s.rank or 0, s.model))

    def as_json(self) -> list[dict[str, Any]]:
        return [s.as_json() for s in self.rows]


def standings(
    data: pd.DataFrame | AttemptSummary,
    *,
    draws: int = 1000,
    seed: int = 0,
    categories: bool = True,
    languages: bool = False,
) -> Leaderboard:
    """Rank every model overall (and per category) for each solver. Pure.

    ``data`` is an attempt frame or its ``AttemptSummary`` (the same standings either
    way; the summary is what a database gives cheaply)."""
    summary = data if isinstance(data, AttemptSummary) else summarise(data)
    rng = np.random.default_rng(seed)
    extras = _extras(summary.extras)
    rows: list[Standing] = []
    board_draws: dict[tuple[str, str], tuple[tuple[str, ...], np.ndarray]] = {}
    for solver, matrix in build_matrices(summary.cells).items():
        scopes = [ALL, *(matrix.categories() if categories else [])]
        scopes += matrix.language_slices() if languages else []
        for scope in scopes:
            stats = slice_stats(matrix, scope, draws=draws, rng=rng)
            if stats is None:
                continue
            names = tuple(matrix.models[m] for m in stats.models)
            ranked = ~np.isnan(stats.pass_rate)
            board_draws[(scope, solver)] = (
                tuple(n for n, r in zip(names, ranked, strict=True) if r),
                stats.draws[:, ranked],
            )
            rows.extend(_rows(matrix, stats, extras))
    newest = summary.extras["newest"].max() if len(summary.extras) else None
    newest_dt = None if newest is None or _isnat(newest) else newest.to_pydatetime()
    return Leaderboard(tuple(rows), newest_dt, board_draws)


def _isnat(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _num(value: Any) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v


def _rows(
    matrix: SolverMatrix, stats: SliceStats, extras: dict[tuple[str, str, str], dict[str, Any]]
) -> list[Standing]:
    solver = matrix.solver
    metric = "pass@1" if solver == "edit" else solver
    ranks = np.zeros(stats.models.size, dtype="int64")
    position = 0
    for pos in stats.order:
        if not np.isnan(stats.pass_rate[pos]):
            position += 1
            ranks[pos] = position
    dominated = _dominated(stats)
    cells = np.ix_(stats.models, stats.tasks)
    pass_k = _pass_at_k_table(matrix.graded[cells], matrix.solved[cells])
    best_value = _best_value(stats)
    out = []
    for pos, m in enumerate(stats.models):
        model = matrix.models[m]
        ranked = not np.isnan(stats.pass_rate[pos])
        extra = extras.get((solver, model, stats.category), {})
        graded = matrix.graded[m, stats.tasks]
        out.append(
            Standing(
                model=model,
                category=stats.category,
                solver=solver,
                simulated=bool(matrix.simulated[m]),
                metric=metric,
                pass_rate=_num(stats.pass_rate[pos]),
                ci_low=_num(stats.ci_low[pos]),
                ci_high=_num(stats.ci_high[pos]),
                n_tasks=int(stats.n_tasks[pos]),
                epochs=int(stats.epochs[pos]),
                coverage=float(stats.coverage[pos]),
                rank=int(ranks[pos]) if ranked else None,
                rank_ub=int(stats.rank_ub[pos]) if ranked else None,
                rank_low=int(stats.rank_low[pos]) if ranked else None,
                rank_high=int(stats.rank_high[pos]) if ranked else None,
                tie_group=int(stats.tie_group[pos]) if ranked else None,
                p_top1=float(stats.p_top1[pos]) if ranked else None,
                p_top3=float(stats.p_top3[pos]) if ranked else None,
                bt_score=_num(stats.bt[pos]),
                bt_ci_low=_num(stats.bt_low[pos]),
                bt_ci_high=_num(stats.bt_high[pos]),
                cost_per_solved=_num(stats.cost_per_solved[pos]),
                cost_ci_low=_num(stats.cost_low[pos]),
                cost_ci_high=_num(stats.cost_high[pos]),
                total_cost=_num(stats.total_cost[pos]),
                latency_p50_s=extra.get("p50"),
                latency_p90_s=extra.get("p90"),
                failure_shares=extra.get("shares", {}),
                tampered=int(extra.get("tampered", 0)),
                suspect=int(extra.get("suspect", 0)),
                attempts=int(matrix.attempts[m, stats.tasks].sum()),
                graded=int(graded.sum()),
                solved=int(matrix.solved[m, stats.tasks].sum()),
                best_value=bool(best_value[pos]),
                dominated=bool(dominated[pos]),
                pass_at_k=pass_k[pos],
                newest_attempt=extra.get("newest"),
            )
        )
    return out


def _pass_at_k_table(graded: np.ndarray, solved: np.ndarray) -> list[dict[str, float | None]]:
    """Unbiased pass@k and pass^k per task, averaged over each model's tasks, for each k
    that every task it attempted reaches in epochs (mixing would bias the mean). Every key
    on every row (None when not reachable): one shape. Arrays are (models, tasks)."""
    have = graded > 0
    n_tasks = have.sum(axis=1)
    least = np.where(have, graded, np.iinfo(np.int64).max).min(axis=1)
    out: list[dict[str, float | None]] = [
        {f"{m}{k}": None for k in PASS_K for m in ("pass@", "pass^")}
        for _ in range(graded.shape[0])
    ]
    for k in PASS_K:
        reach = (n_tasks > 0) & (least >= k)
        if not reach.any():
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            at_k = np.where(have, pass_at_k_array(graded, solved, k), 0.0).sum(axis=1) / n_tasks
            hat_k = np.where(have, pass_hat_k_array(graded, solved, k), 0.0).sum(axis=1) / n_tasks
        for i in np.flatnonzero(reach):
            out[i][f"pass@{k}"] = float(at_k[i])
            out[i][f"pass^{k}"] = float(hat_k[i])
    return out


def _dominated(stats: SliceStats) -> np.ndarray:
    """Pareto on (pass rate, cost per solved): i is dominated when some j is
    significantly better at solving while not significantly dearer, or significantly
    cheaper (cost intervals apart) while not significantly worse."""
    ranked = ~np.isnan(stats.pass_rate)
    costed = ranked & ~np.isnan(stats.cost_per_solved)
    both = costed[:, None] & costed[None, :]  # [j, i]
    with np.errstate(invalid="ignore"):
        j_cheaper = both & (stats.cost_high[:, None] < stats.cost_low[None, :])
        j_dearer = both & (stats.cost_low[:, None] > stats.cost_high[None, :])
    beats_on_solving = both & stats.better & ~j_dearer
    beats_on_cost = j_cheaper & ~stats.better.T
    pair = (beats_on_solving | beats_on_cost) & ranked[:, None] & ranked[None, :]
    np.fill_diagonal(pair, False)
    out: np.ndarray = pair.any(axis=0)
    return out


def _best_value(stats: SliceStats) -> np.ndarray:
    """The cheapest (cost per solved) model in the first tie group: as good as the best
    within the evidence, for less."""
    out = np.zeros(stats.models.size, dtype=bool)
    first = np.flatnonzero((stats.tie_group == 1) & ~np.isnan(stats.cost_per_solved))
    if first.size:
        out[first[np.argmin(stats.cost_per_solved[first])]] = True
    return out


def _extras(extras: pd.DataFrame) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Per (solver, model, slice): latency percentiles over graded attempts, failure
    shares over every attempt (every kind, zeros included: one shape for every row),
    tampered and suspect counts, the newest attempt."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in extras.to_dict(orient="records"):
        total = max(int(row["total"]), 1)
        out[(str(row["solver"]), str(row["model"]), str(row["category"]))] = {
            "p50": _num(row["p50"]) if row["p50"] is not None else None,
            "p90": _num(row["p90"]) if row["p90"] is not None else None,
            "shares": {kind: int(row[kind]) / total for kind in FAILURE_KINDS},
            "tampered": int(row["tampered"]),
            "suspect": int(row["suspect_flagged"]),
            "newest": stamp_text(row["newest"]),
        }
    return out


def rank(rows: Any, *, draws: int = 1000, seed: int = 0) -> Leaderboard:
    """``standings`` over plain attempt dicts (the store's attempt columns)."""
    from routr_cli.ranking.frame import attempt_frame_from_rows

    return standings(attempt_frame_from_rows(rows), draws=draws, seed=seed)
