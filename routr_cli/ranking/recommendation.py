"""``recommend``: which models fit a described task, from the category standings.

The description's category weights (``classify``) turn each model's per-category
bootstrap draws into a weighted score per draw, so the uncertainty carries through:
the pick's interval, P(top-3) among the eligible models, and "statistically tied with
#1" all come from the same draws. Constraints (cost per solved, price, provider) are
applied before ranking. When no matched category has data, the overall standings are
used and the answer says so (``fallback``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from routr_cli.ranking.classifier import Classification, classify
from routr_cli.ranking.leaderboard import Leaderboard, Standing
from routr_cli.ranking.matrix import ALL, LANGUAGE_PREFIX
from routr_cli.ranking.slices import SIGNIFICANCE
from routr_cli.text import plural


@dataclass(frozen=True)
class Constraints:
    """Filters applied before ranking; ``None`` means no limit."""

    max_cost_per_solved: float | None = None
    max_price_per_mtok: float | None = None  # blended 3:1 input:output, USD per million tokens
    providers: tuple[str, ...] = ()  # only these providers (the part before the first '/')
    exclude_providers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pick:
    model: str
    score: float
    pass_rate: float
    ci_low: float
    ci_high: float
    n_tasks: int
    cost_per_solved: float | None
    latency_p50_s: float | None
    p_top3: float
    tied_with_first: bool
    simulated: bool
    reasons: list[str]


@dataclass(frozen=True)
class Recommendation:
    categories: dict[str, float]
    language: str | None
    recommendations: list[Pick]
    fallback: bool
    solver: str | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)
    excluded: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["categories"] = [{"category": k, "weight": v} for k, v in self.categories.items()]
        return data


def blended_price(input_usd_per_mtok: float, output_usd_per_mtok: float) -> float:
    """One price per million tokens, blending input and output 3:1 (a typical coding
    call reads far more than it writes)."""
    return (3 * input_usd_per_mtok + output_usd_per_mtok) / 4


def recommend(
    text_or_classification: str | Classification,
    leaderboard: Leaderboard,
    *,
    language: str | None = None,
    constraints: Constraints | None = None,
    top: int = 3,
    solver: str | None = None,
    prices: Mapping[str, float] | None = None,
) -> Recommendation:
    """The ``top`` models for a description, best first, each with its reasons.

    ``prices`` maps model -> blended USD per million tokens (see ``blended_price``);
    needed only for ``max_price_per_mtok`` (a model without a price is then excluded).
    """
    found = (
        classify(text_or_classification)
        if isinstance(text_or_classification, str)
        else text_or_classification
    )
    constraints = constraints or Constraints()
    lang = language.lower() if language else found.language
    name = leaderboard.resolve_solver(solver) if leaderboard.rows else None
    notes: list[str] = []
    if name is None:
        return Recommendation(
            found.categories, lang, [], True, None, found.evidence, [], ["no standings"]
        )
    weights = {c: w for c, w in found.categories.items() if (c, name) in leaderboard.draws}
    missing = [c for c in found.categories if c not in weights]
    if missing:
        notes.append(f"no {name} data for {', '.join(missing)}")
    fallback = not weights
    if fallback:
        weights = {ALL: 1.0}
        why = (
            "no category matched" if not found.categories else "no data for the matched categories"
        )
        notes.append(f"{why}: ranked on overall standings")
    lang_slice = f"{LANGUAGE_PREFIX}{lang}" if lang else None
    if lang and (lang_slice, name) in leaderboard.draws:
        notes.append(
            f"language {lang}: each pick's pass rate on {lang} tasks is shown; "
            "the score uses the categories"
        )
    elif lang:
        notes.append(f"language {lang}: no {lang} tasks in these standings")
    total = sum(weights.values())
    weights = {c: w / total for c, w in weights.items()}
    overall = {s.model: s for s in leaderboard.rows if s.category == ALL and s.solver == name}
    eligible, excluded = _eligible(overall, constraints, prices)
    if not eligible:
        return Recommendation(
            found.categories, lang, [], fallback, name, found.evidence, excluded, notes
        )
    models = sorted(eligible)
    draws, points, n_tasks, used_overall = _weighted(leaderboard, name, weights, models)
    order = sorted(range(len(models)), key=lambda i: (-points[i], models[i]))
    ranks = 1 + (draws[:, None, :] > draws[:, :, None]).sum(axis=2)
    p_top3 = (ranks <= 3).mean(axis=0)
    first = order[0]
    picks = []
    for i in order[:top]:
        s = overall[models[i]]
        lead = float((draws[:, first] > draws[:, i]).mean()) if i != first else 0.0
        tied = i == first or lead < SIGNIFICANCE
        low, high = np.percentile(draws[:, i], [2.5, 97.5])
        cost = _weighted_cost(leaderboard, name, weights, models[i]) or s.cost_per_solved
        pick = Pick(
            model=models[i], score=float(points[i]), pass_rate=float(points[i]),
            ci_low=float(low), ci_high=float(high), n_tasks=int(n_tasks[i]),
            cost_per_solved=cost, latency_p50_s=s.latency_p50_s, p_top3=float(p_top3[i]),
            tied_with_first=bool(tied and i != first), simulated=s.simulated, reasons=[],
        )  # fmt: skip
        picks.append(
            _with_reasons(pick, weights, fallback, used_overall[i], leaderboard, name, lang_slice)
        )
    return Recommendation(
        found.categories, lang, picks, fallback, name, found.evidence, excluded, notes
    )


def _eligible(
    overall: Mapping[str, Standing], constraints: Constraints, prices: Mapping[str, float] | None
) -> tuple[list[str], list[dict[str, str]]]:
    keep, excluded = [], []
    for model, s in sorted(overall.items()):
        provider = model.split("/", 1)[0]
        reason = None
        if s.pass_rate is None:
            reason = "no graded attempts"
        elif constraints.providers and provider not in constraints.providers:
            reason = f"provider {provider} not in {', '.join(constraints.providers)}"
        elif provider in constraints.exclude_providers:
            reason = f"provider {provider} excluded"
        elif constraints.max_cost_per_solved is not None and (
            s.cost_per_solved is None or s.cost_per_solved > constraints.max_cost_per_solved
        ):
            shown = "unknown" if s.cost_per_solved is None else f"${s.cost_per_solved:.4f}"
            reason = f"cost per solved {shown} over ${constraints.max_cost_per_solved:.4f}"
        elif constraints.max_price_per_mtok is not None:
            price = (prices or {}).get(model)
            if price is None or price > constraints.max_price_per_mtok:
                shown = "unknown" if price is None else f"${price:.2f}"
                reason = f"price per Mtok {shown} over ${constraints.max_price_per_mtok:.2f}"
        if reason:
            excluded.append({"model": model, "reason": reason})
        else:
            keep.append(model)
    return keep, excluded


def _weighted(
    board: Leaderboard, solver: str, weights: Mapping[str, float], models: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[str]]]:
    """Per draw, sum_c w_c * pass_c for each model; a model without data in a matched
    category uses its overall draws there (and the reasons say so)."""
    overall_names, overall_draws = board.draws[(ALL, solver)]
    n_draws = overall_draws.shape[0]
    out = np.zeros((n_draws, len(models)))
    points = np.zeros(len(models))
    n_tasks = np.zeros(len(models), dtype="int64")
    used_overall: list[list[str]] = [[] for _ in models]
    rows = {(s.model, s.category): s for s in board.rows if s.solver == solver}
    for category, w in weights.items():
        names, draws = board.draws[(category, solver)]
        index = {n: k for k, n in enumerate(names)}
        for i, model in enumerate(models):
            if model in index:
                out[:, i] += w * draws[:, index[model]]
                st = rows[(model, category)]
            else:
                out[:, i] += w * overall_draws[:, overall_names.index(model)]
                st = rows[(model, ALL)]
                used_overall[i].append(category)
            points[i] += w * (st.pass_rate or 0.0)
            n_tasks[i] += st.n_tasks
    return out, points, n_tasks, used_overall


def _weighted_cost(
    board: Leaderboard, solver: str, weights: Mapping[str, float], model: str
) -> float | None:
    total = 0.0
    for category, w in weights.items():
        match = [
            s
            for s in board.rows
            if s.model == model and s.category == category and s.solver == solver
        ]
        if not match or match[0].cost_per_solved is None:
            return None
        total += w * match[0].cost_per_solved
    return total


def _pct(x: float | None) -> str:
    return "-" if x is None or math.isnan(x) else f"{x * 100:.0f}%"


def _with_reasons(
    pick: Pick,
    weights: Mapping[str, float],
    fallback: bool,
    used_overall: list[str],
    board: Leaderboard,
    solver: str,
    lang_slice: str | None,
) -> Pick:
    reasons = []
    for category in weights:
        target = ALL if category in used_overall else category
        match = [
            s
            for s in board.rows
            if s.model == pick.model and s.category == target and s.solver == solver
        ]
        if not match:
            continue
        s = match[0]
        where = "overall" if target == ALL else f"in {category}"
        if fallback:
            where += " (fallback: no data for the matched category)"
        elif category in used_overall:
            where = f"overall (no {category} data)"
        reasons.append(
            f"pass rate {_pct(s.pass_rate)} [{_pct(s.ci_low)}-{_pct(s.ci_high)}] {where}, "
            f"n={plural(s.n_tasks, 'task')} x {plural(s.epochs, 'epoch')}"
        )
    lang = [
        s
        for s in board.rows
        if s.model == pick.model and s.category == lang_slice and s.solver == solver
    ]
    if lang and lang[0].pass_rate is not None:
        s = lang[0]
        language = s.category[len(LANGUAGE_PREFIX) :]
        reasons.append(
            f"pass rate {_pct(s.pass_rate)} [{_pct(s.ci_low)}-{_pct(s.ci_high)}] on "
            f"{language} tasks, n={plural(s.n_tasks, 'task')}"
        )
    if pick.cost_per_solved is not None:
        reasons.append(f"cost per solved ${pick.cost_per_solved:.4f}")
    if pick.latency_p50_s is not None:
        reasons.append(f"median latency {pick.latency_p50_s:.1f} s")
    reasons.append(f"P(top-3) {_pct(pick.p_top3)}")
    if pick.tied_with_first:
        reasons.append("statistically tied with #1")
    if pick.simulated:
        reasons.append("(simulated)")
    return Pick(**{**asdict(pick), "reasons": reasons})
