"""`routr route eval`: is routing worth it on these tasks? Cross-validated, with intervals.

k-fold over tasks: for each fold, standings are fitted on the other folds' attempts only,
the policy picks a model for each held-out task (its category is the request's category:
the recorded attempts carry no prompt to classify, so this measures the routing given a
correct classification), and the pick is scored with that model's recorded attempts on
the task (mean over epochs: solved share, cost). Every task is held out once.

Compared on the same held-out tasks:

- ``auto`` and ``auto:cheap`` (the router);
- ``best single``: the model the training folds rank first overall;
- ``cheapest``: the lowest mean cost per attempt in the training folds;
- ``random``: the expected outcome of a uniformly random model per task;
- ``zero-router``: the upper convex hull of the single models' (cost, pass) points and
  their mixtures (a coin that sends a share of calls to each), read at the router's cost
  -- what you get with no router at all, just by splitting traffic;
- ``oracle``: per task, the cheapest model among those that did best on it (an upper
  bound nothing real reaches).

Intervals are percentile bootstraps over held-out tasks (the same resampled tasks for
every strategy, so differences are paired). APGR (average performance gap recovered, after
RouteLLM) is the area under the router's PGR curve over normalised cost, PGR = (pass -
pass_cheapest) / (pass_best - pass_cheapest), with the curve swept by ``auto:cheap``'s
margin (plus the two endpoints every router has: all calls to the cheapest model, all to
the best). AUC is the area under the router's cost-quality curve over normalised cost,
beside the zero-router hull's. The verdict says plainly when ``auto`` does not beat the best
single model: cheaper at an equal pass rate, or better at an equal cost, with the
interval of the difference excluding 0.

Pure apart from the ``fit`` callable (frame -> RoutingTable), which the CLI gives as the
ranking's standings and tests give as anything.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from routr_cli.errors import ConfigError
from routr_cli.router.features import RequestFeatures
from routr_cli.router.policy import ALL, Constraints, ModelInfo, RoutingTable, choose
from routr_cli.text import plural

STRATEGIES = ("auto", "auto:cheap", "best single", "cheapest", "zero-router", "random", "oracle")
MARGINS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)
EQUIVALENCE = 0.02  # "equal pass rate": the difference's interval stays above -2 points
Fit = Callable[[pd.DataFrame], RoutingTable]


@dataclass(frozen=True)
class StrategyResult:
    name: str
    pass_rate: float
    pass_low: float
    pass_high: float
    cost: float  # mean USD per task
    cost_low: float
    cost_high: float
    note: str = ""


@dataclass(frozen=True)
class Evaluation:
    n_tasks: int
    folds: int
    models: tuple[str, ...]
    simulated: bool
    strategies: tuple[StrategyResult, ...]
    best_single: str
    pass_diff: tuple[float, float, float]  # auto minus best single: mean, low, high
    cost_diff: tuple[float, float, float]
    apgr: float | None  # None when the best single model is no better than the cheapest
    auc_router: float
    auc_hull: float
    verdict: str
    beats_best: bool
    dropped_tasks: int

    def as_json(self) -> dict[str, Any]:
        return {
            "n_tasks": self.n_tasks,
            "folds": self.folds,
            "models": list(self.models),
            "simulated": self.simulated,
            "strategies": [s.__dict__ for s in self.strategies],
            "best_single": self.best_single,
            "pass_diff": list(self.pass_diff),
            "cost_diff": list(self.cost_diff),
            "apgr": self.apgr,
            "auc_router": self.auc_router,
            "auc_zero_router": self.auc_hull,
            "verdict": self.verdict,
            "beats_best_single": self.beats_best,
            "dropped_tasks": self.dropped_tasks,
        }


def outcome_matrix(
    frame: pd.DataFrame,
) -> tuple[list[str], list[str], list[str], np.ndarray, np.ndarray, int]:
    """(tasks, categories, models, pass[t, m], cost[t, m], tasks dropped).

    Graded attempts only (provider errors are not coding attempts); the single-turn solver
    when present (a routed call is one turn). Only tasks every model attempted are kept,
    so every strategy is scored on the same tasks.
    """
    graded = frame[frame["status"] != "provider_error"]
    if "solver" in graded.columns and (graded["solver"] == "edit").any():
        graded = graded[graded["solver"] == "edit"]
    if graded.empty:
        raise ConfigError("no graded attempts to evaluate: run `routr bench` first")
    cost = graded["cost_usd"].astype(float).fillna(0.0)
    per = (
        graded.assign(solved=graded["solved"].astype(float), cost=cost)
        .groupby(["task_id", "model"])
        .agg(passed=("solved", "mean"), cost=("cost", "mean"), category=("category", "first"))
        .reset_index()
    )
    models = sorted(per["model"].unique())
    counts = per.groupby("task_id")["model"].nunique()
    complete = sorted(counts[counts == len(models)].index)
    dropped = len(counts) - len(complete)
    per = per[per["task_id"].isin(complete)]
    passed = per.pivot(index="task_id", columns="model", values="passed").loc[complete, models]
    costs = per.pivot(index="task_id", columns="model", values="cost").loc[complete, models]
    categories = per.groupby("task_id")["category"].first().loc[complete].tolist()
    return complete, categories, models, passed.to_numpy(), costs.to_numpy(), dropped


def _upper_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The upper-left frontier of mixtures: concave, non-decreasing in cost."""
    pts = sorted(set(points))
    hull: list[tuple[float, float]] = []
    for p in pts:
        if hull and p[1] <= hull[-1][1]:
            continue  # costs more, does no better
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (y2 - y1) * (p[0] - x1) <= (p[1] - y1) * (x2 - x1):
                hull.pop()  # the middle point lies under the chord: a mixture beats it
            else:
                break
        hull.append(p)
    return hull


def hull_at(hull: list[tuple[float, float]], cost: float) -> float:
    """The best pass rate a mixture of single models reaches at ``cost``."""
    if cost <= hull[0][0]:
        return hull[0][1]
    for (x1, y1), (x2, y2) in itertools.pairwise(hull):
        if cost <= x2:
            return y1 + (y2 - y1) * (cost - x1) / (x2 - x1) if x2 > x1 else y2
    return hull[-1][1]


def _area(curve: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Area under a step-up envelope of ``curve`` over normalised cost in [lo, hi]."""
    if hi <= lo:
        return curve[-1][1] if curve else 0.0
    xs = np.linspace(lo, hi, 201)
    ys = []
    for x in xs:
        reachable = [q for c, q in curve if c <= x + 1e-12]
        ys.append(max(reachable) if reachable else 0.0)
    return float(np.trapezoid(ys, (xs - lo) / (hi - lo)))


def _pick(
    features: RequestFeatures,
    table: RoutingTable,
    infos: Mapping[str, ModelInfo],
    index: Mapping[str, int],
    objective: str,
    margin: float,
    fallback: int,
) -> int:
    """The policy's first candidate for one held-out task (``fallback`` when none)."""
    chosen = choose(features, table, infos, Constraints(cheap_margin=margin), objective).chosen
    return index.get(chosen.model, fallback) if chosen else fallback


def evaluate(
    frame: pd.DataFrame,
    fit: Fit,
    infos: Mapping[str, ModelInfo],
    *,
    folds: int = 5,
    draws: int = 1000,
    seed: int = 0,
) -> Evaluation:
    tasks, categories, models, passed, costs, dropped = outcome_matrix(frame)
    n = len(tasks)
    if n < 4 or len(models) < 2:
        raise ConfigError(
            f"route eval needs at least 4 tasks every model attempted and 2 models "
            f"(found {plural(n, 'task')}, {plural(len(models), 'model')}): bench more"
        )
    k = max(2, min(folds, n))
    rng = np.random.default_rng(seed)
    fold_of = np.empty(n, dtype=int)
    fold_of[rng.permutation(n)] = np.arange(n) % k
    index = {m: i for i, m in enumerate(models)}
    picks: dict[str, np.ndarray] = {
        name: np.zeros(n, dtype=int) for name in ("auto", "best single", "cheapest")
    }
    sweep = {m: np.zeros(n, dtype=int) for m in MARGINS}
    task_frame = frame[frame["task_id"].isin(tasks)]
    for f in range(k):
        held = np.flatnonzero(fold_of == f)
        train_ids = [tasks[i] for i in np.flatnonzero(fold_of != f)]
        table = fit(task_frame[task_frame["task_id"].isin(train_ids)])
        overall = table.slice(ALL)
        train_mask = fold_of != f
        best = index[overall[0].model] if overall else int(np.argmax(passed[train_mask].mean(0)))
        cheapest = int(np.argmin(costs[train_mask].mean(0)))
        for t in held:
            features = RequestFeatures({categories[t]: 1.0}, None, 1000, 1000, overridden=True)
            picks["auto"][t] = _pick(features, table, infos, index, "auto", 0.05, best)
            picks["best single"][t] = best
            picks["cheapest"][t] = cheapest
            for margin in MARGINS:
                sweep[margin][t] = _pick(features, table, infos, index, "auto:cheap", margin, best)
    rows = np.arange(n)

    def scored(choice: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return passed[rows, choice], costs[rows, choice]

    per_task: dict[str, tuple[np.ndarray, np.ndarray]] = {
        "auto": scored(picks["auto"]),
        "auto:cheap": scored(sweep[0.05]),
        "best single": scored(picks["best single"]),
        "cheapest": scored(picks["cheapest"]),
        "random": (passed.mean(1), costs.mean(1)),
    }
    top = passed.max(1, keepdims=True)
    masked = np.where(passed >= top - 1e-12, costs, np.inf)
    per_task["oracle"] = scored(np.argmin(masked, 1))
    boot = rng.integers(0, n, size=(draws, n))

    def ci(values: np.ndarray) -> tuple[float, float, float]:
        means = values[boot].mean(1)
        return (
            float(values.mean()),
            float(np.percentile(means, 2.5)),
            float(np.percentile(means, 97.5)),
        )

    results = []
    for name, (p, c) in per_task.items():
        pm, pl, ph = ci(p)
        cm, cl, chi = ci(c)
        results.append(StrategyResult(name, pm, pl, ph, cm, cl, chi))
    singles = [(float(costs[:, j].mean()), float(passed[:, j].mean())) for j in range(len(models))]
    hull = _upper_hull(singles)
    auto_pass, auto_cost = per_task["auto"]
    zero = hull_at(hull, float(auto_cost.mean()))
    pass_means, cost_means = passed[boot].mean(1), costs[boot].mean(1)  # (draws, models)
    auto_means = auto_cost[boot].mean(1)
    zero_draws = [
        hull_at(_upper_hull(list(zip(cost_means[b], pass_means[b], strict=True))), auto_means[b])
        for b in range(draws)
    ]
    results.insert(
        4,
        StrategyResult(
            "zero-router", zero, float(np.percentile(zero_draws, 2.5)),
            float(np.percentile(zero_draws, 97.5)), float(auto_cost.mean()),
            float(np.percentile(auto_means, 2.5)), float(np.percentile(auto_means, 97.5)),
            note="mixture of single models at auto's cost",
        ),
    )  # fmt: skip
    best_pass, best_cost = per_task["best single"]
    pass_diff = ci(auto_pass - best_pass)
    cost_diff = ci(auto_cost - best_cost)
    curve = [
        (float(scored(sweep[m])[1].mean()), float(scored(sweep[m])[0].mean())) for m in MARGINS
    ]
    curve.append((float(auto_cost.mean()), float(auto_pass.mean())))
    cheap_p, cheap_c = per_task["cheapest"]
    # the endpoints every router has (send everything to the cheapest, or to the best),
    # as RouteLLM's curves do: the areas then compare like with like
    curve += [
        (float(cheap_c.mean()), float(cheap_p.mean())),
        (float(best_cost.mean()), float(best_pass.mean())),
    ]
    lo = min(float(cheap_c.mean()), *(c for c, _ in curve))
    hi = max(float(best_cost.mean()), *(c for c, _ in curve))
    span = float(best_pass.mean() - cheap_p.mean())
    norm = [((c - lo) / (hi - lo) if hi > lo else 0.0, q) for c, q in curve]
    hull_norm = [((c - lo) / (hi - lo) if hi > lo else 0.0, q) for c, q in hull]
    auc_router = _area(norm, 0.0, 1.0)
    auc_hull = _area(hull_norm, 0.0, 1.0)
    apgr: float | None
    if span > 1e-9:
        pgr = [(x, (q - float(cheap_p.mean())) / span) for x, q in norm]
        apgr = _area(pgr, 0.0, 1.0)
    else:
        apgr = None
    best_name = models[int(np.bincount(picks["best single"]).argmax())]
    cheaper = cost_diff[2] < 0 and pass_diff[1] >= -EQUIVALENCE
    better = pass_diff[1] > 0 and cost_diff[2] <= 0
    beats = cheaper or better
    if better:
        verdict = (
            f"auto beats the best single model ({best_name}): pass rate +{pass_diff[0]:.1%} "
            f"[{pass_diff[1]:+.1%}, {pass_diff[2]:+.1%}] at no higher cost"
        )
    elif cheaper:
        verdict = (
            f"auto beats the best single model ({best_name}): cheaper by "
            f"${-cost_diff[0]:.6f} per task [{-cost_diff[2]:.6f}, {-cost_diff[1]:.6f}] at an "
            f"equal pass rate (difference {pass_diff[0]:+.1%} [{pass_diff[1]:+.1%}, "
            f"{pass_diff[2]:+.1%}])"
        )
    elif pass_diff[2] < 0:
        verdict = (
            f"auto does NOT beat the best single model ({best_name}) on these tasks: its pass "
            f"rate is lower by {-pass_diff[0]:.1%} [{-pass_diff[2]:.1%}, {-pass_diff[1]:.1%}] "
            f"(cost difference ${cost_diff[0]:+.6f} per task) -- call {best_name} directly "
            f"(-m {best_name}) unless that saving is worth the loss to you"
        )
    elif cost_diff[2] < 0:
        verdict = (
            f"auto does NOT beat the best single model ({best_name}) on these tasks: it is "
            f"cheaper by ${-cost_diff[0]:.6f} per task, but an equal pass rate is not shown "
            f"(difference {pass_diff[0]:+.1%} [{pass_diff[1]:+.1%}, {pass_diff[2]:+.1%}]; the "
            f"interval must stay above {-EQUIVALENCE:+.0%}) -- call {best_name} directly "
            f"(-m {best_name}) or bench more tasks"
        )
    else:
        verdict = (
            f"auto does NOT beat the best single model ({best_name}) on these tasks: pass rate "
            f"difference {pass_diff[0]:+.1%} [{pass_diff[1]:+.1%}, {pass_diff[2]:+.1%}], cost "
            f"difference ${cost_diff[0]:+.6f} [{cost_diff[1]:+.6f}, {cost_diff[2]:+.6f}] per "
            f"task -- call {best_name} directly (-m {best_name}) until routing shows a gain"
        )
    return Evaluation(
        n_tasks=n,
        folds=k,
        models=tuple(models),
        simulated=bool(frame["simulated"].astype(bool).any()) if "simulated" in frame else False,
        strategies=tuple(results),
        best_single=best_name,
        pass_diff=pass_diff,
        cost_diff=cost_diff,
        apgr=apgr,
        auc_router=auc_router,
        auc_hull=auc_hull,
        verdict=verdict,
        beats_best=beats,
        dropped_tasks=dropped,
    )
