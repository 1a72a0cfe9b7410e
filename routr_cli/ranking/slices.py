"""The arithmetic of one slice (a category or "all", one solver): pass rates with
clustered intervals, bootstrap draws, significance, ranks, tie groups, cost per solved.

Pure numpy over a ``SolverMatrix``; ``standings`` assembles the results into rows.
The formulas are in docs/methodology.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routr_cli.ranking.matrix import SolverMatrix, bootstrap_weights, family_sums
from routr_cli.ranking.stats import effective_wilson

SIGNIFICANCE = 0.975  # share of draws one model must lead another by: a two-sided 95% test
BT_DRAWS = 100  # Bradley-Terry refits per slice (each an MM fit, warm-started)


@dataclass
class SliceStats:
    """Everything computed for one slice; arrays are over ``models`` (slice members:
    models with at least one attempt in the slice)."""

    category: str
    models: np.ndarray  # indices into SolverMatrix.models
    tasks: np.ndarray  # indices into SolverMatrix.tasks
    scores: np.ndarray  # (models, tasks) task scores, NaN where absent
    pass_rate: np.ndarray  # NaN when no graded attempt
    ci_low: np.ndarray
    ci_high: np.ndarray
    n_tasks: np.ndarray
    epochs: np.ndarray
    coverage: np.ndarray
    draws: np.ndarray  # (draws, models) bootstrap pass rates (NaN-free for ranked models)
    better: np.ndarray  # (models, models): better[j, i] = j significantly better than i
    rank_ub: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray
    p_top1: np.ndarray
    p_top3: np.ndarray
    tie_group: np.ndarray
    order: np.ndarray  # slice positions, best first (unranked last)
    bt: np.ndarray
    bt_low: np.ndarray
    bt_high: np.ndarray
    cost_per_solved: np.ndarray  # NaN when unknown or nothing solved
    cost_low: np.ndarray
    cost_high: np.ndarray
    total_cost: np.ndarray  # NaN when any cost is unknown
    complete_coverage: bool


def slice_stats(
    matrix: SolverMatrix, category: str, *, draws: int, rng: np.random.Generator
) -> SliceStats | None:
    """The slice's statistics, or ``None`` when nobody has an attempt in it."""
    tasks = matrix.task_columns(category)
    if tasks.size == 0:
        return None
    attempted = matrix.attempts[:, tasks].sum(axis=1) > 0
    models = np.flatnonzero(attempted)
    graded = matrix.graded[np.ix_(models, tasks)]
    solved = matrix.solved[np.ix_(models, tasks)]
    present = graded > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(present, solved / np.maximum(graded, 1), np.nan)
    fam_codes, n_fam = _remap(matrix.task_family[tasks])
    score_f = family_sums(np.nan_to_num(scores), fam_codes, n_fam)  # (fam, models)
    count_f = family_sums(present.astype("float64"), fam_codes, n_fam)
    n_tasks = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pass_rate = score_f.sum(axis=0) / n_tasks
    ci_low, ci_high = _intervals(pass_rate, score_f, count_f, n_tasks)
    slice_tasks = present.any(axis=0)
    coverage = n_tasks / max(int(slice_tasks.sum()), 1)
    epochs = np.where(present, graded, 0).max(axis=1) if tasks.size else np.zeros(len(models))

    weights = bootstrap_weights(n_fam, draws, rng)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (weights @ score_f) / (weights @ count_f)
    # A draw that picked none of a model's families says nothing about it: use its
    # point estimate there rather than dropping the whole draw for everyone.
    boot = np.where(np.isnan(boot), pass_rate[None, :], boot)
    ranked = ~np.isnan(pass_rate)
    complete = bool(np.all(present[ranked] == slice_tasks[None, :])) if ranked.any() else True
    better = _significance(boot, ranked, complete, scores, fam_codes, n_fam, weights)
    rank_ub = np.where(ranked, 1 + better.sum(axis=0), 0)
    draw_ranks = _draw_ranks(boot, ranked)
    rank_low = np.where(ranked, np.percentile(draw_ranks, 2.5, axis=0, method="lower"), 0)
    rank_high = np.where(ranked, np.percentile(draw_ranks, 97.5, axis=0, method="higher"), 0)
    p_top1, p_top3 = _top_shares(boot, ranked, draw_ranks)
    cost_per_solved, cost_low, cost_high, total_cost = _cost(
        matrix, models, tasks, fam_codes, n_fam, weights
    )
    order = _order(pass_rate, ci_low, cost_per_solved, [matrix.models[m] for m in models])
    tie_group = _tie_groups(order, better, ranked)
    bt, bt_low, bt_high = _bradley_terry(scores, ranked, fam_codes, weights)
    return SliceStats(
        category=category, models=models, tasks=tasks, scores=scores, pass_rate=pass_rate,
        ci_low=ci_low, ci_high=ci_high, n_tasks=n_tasks, epochs=epochs, coverage=coverage,
        draws=boot, better=better, rank_ub=rank_ub, rank_low=rank_low, rank_high=rank_high,
        p_top1=p_top1, p_top3=p_top3, tie_group=tie_group, order=order, bt=bt, bt_low=bt_low,
        bt_high=bt_high, cost_per_solved=cost_per_solved, cost_low=cost_low,
        cost_high=cost_high, total_cost=total_cost, complete_coverage=complete,
    )  # fmt: skip


def _remap(codes: np.ndarray) -> tuple[np.ndarray, int]:
    uniques, inverse = np.unique(codes, return_inverse=True)
    return inverse.astype("int64"), int(uniques.size)


def clustered_variance(sums: np.ndarray, counts: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Linearised variance of a ratio-of-sums mean over clusters (families):
    ``sum_f (S_f - p N_f)^2 / N^2``; for one epoch and singleton families it is
    ``p(1-p)/n``, the binomial variance."""
    total = counts.sum(axis=0)
    resid = sums - np.nan_to_num(rate)[None, :] * counts
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = (resid**2).sum(axis=0) / total**2
    return out


def _intervals(
    rate: np.ndarray, sums: np.ndarray, counts: np.ndarray, n_tasks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    variance = clustered_variance(sums, counts, rate)
    families = (counts > 0).sum(axis=0)
    low = np.full(rate.shape, np.nan)
    high = np.full(rate.shape, np.nan)
    for i in range(rate.size):
        if n_tasks[i] > 0:
            low[i], high[i] = effective_wilson(float(rate[i]), int(families[i]), float(variance[i]))
    return low, high


def _significance(
    boot: np.ndarray,
    ranked: np.ndarray,
    complete: bool,
    scores: np.ndarray,
    fam_codes: np.ndarray,
    n_fam: int,
    weights: np.ndarray,
) -> np.ndarray:
    """better[j, i]: j leads i in at least 97.5% of paired draws. Pairs are compared on
    the tasks both have: with complete coverage the marginal draws are already paired
    (same resampled tasks); otherwise each pair's shared-task difference is resampled."""
    n = boot.shape[1]
    better = np.zeros((n, n), dtype=bool)
    idx = np.flatnonzero(ranked)
    if idx.size < 2:
        return better
    if complete:
        sub = boot[:, idx]
        lead = (sub[:, :, None] > sub[:, None, :]).mean(axis=0)  # lead[j, i]
        better[np.ix_(idx, idx)] = lead >= SIGNIFICANCE
        return better
    pairs = [(j, i) for j in idx for i in idx if j < i]
    js = np.array([p[0] for p in pairs])
    is_ = np.array([p[1] for p in pairs])
    shared = ~np.isnan(scores[js]) & ~np.isnan(scores[is_])  # (pairs, tasks)
    diff = np.where(shared, np.nan_to_num(scores[js]) - np.nan_to_num(scores[is_]), 0.0)
    diff_f = family_sums(diff, fam_codes, n_fam)
    count_f = family_sums(shared.astype("float64"), fam_codes, n_fam)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = (weights @ diff_f) / (weights @ count_f)  # (draws, pairs)
    has = count_f.sum(axis=0) > 0
    up = np.where(has, (np.nan_to_num(d, nan=0.0) > 0).mean(axis=0), 0.0)
    down = np.where(has, (np.nan_to_num(d, nan=0.0) < 0).mean(axis=0), 0.0)
    better[js, is_] = up >= SIGNIFICANCE
    better[is_, js] = down >= SIGNIFICANCE
    return better


def _draw_ranks(boot: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Per draw, 1 + the number of ranked models strictly ahead (ties share a rank)."""
    values = np.where(ranked[None, :], boot, -np.inf)
    ahead: np.ndarray = (values[:, None, :] > values[:, :, None]).sum(axis=2)
    return ahead + 1


def _top_shares(
    boot: np.ndarray, ranked: np.ndarray, draw_ranks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """P(top-1) splits a tied first place evenly; P(top-3) counts draws ranked <= 3."""
    values = np.where(ranked[None, :], boot, -np.inf)
    best = values.max(axis=1, keepdims=True)
    at_top = (values == best) & ranked[None, :]
    p_top1 = (at_top / at_top.sum(axis=1, keepdims=True)).mean(axis=0)
    p_top3 = (draw_ranks <= 3).mean(axis=0)
    return np.where(ranked, p_top1, 0.0), np.where(ranked, p_top3, 0.0)


def _order(rate: np.ndarray, low: np.ndarray, cost: np.ndarray, names: list[str]) -> np.ndarray:
    """Best first: pass rate, then the lower bound (more evidence), then cheaper, then
    name; models with no graded attempt last."""
    keys = sorted(
        range(rate.size),
        key=lambda i: (
            np.isnan(rate[i]),
            -np.nan_to_num(rate[i], nan=-1.0),
            -np.nan_to_num(low[i], nan=-1.0),
            np.nan_to_num(cost[i], nan=np.inf),
            names[i],
        ),
    )
    return np.array(keys, dtype="int64")


def _tie_groups(order: np.ndarray, better: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Leaders in order: the best ungrouped model leads the next group, which takes every
    ungrouped model it is not significantly better than. Group 1 is therefore exactly
    "statistically tied with the best", and every member is tied with its leader.
    Unranked models get group 0."""
    group = np.zeros(order.size, dtype="int64")
    current = 0
    for leader in order:
        if not ranked[leader] or group[leader]:
            continue
        current += 1
        for pos in order:
            if ranked[pos] and not group[pos] and not better[leader, pos]:
                group[pos] = current
    return group


def _cost(
    matrix: SolverMatrix,
    models: np.ndarray,
    tasks: np.ndarray,
    fam_codes: np.ndarray,
    n_fam: int,
    weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cost per solved task as a ratio of sums (total cost / solved attempts), its
    interval from the same task bootstrap (ratio estimator: both sums resampled
    together), and total cost. NaN when a cost is unknown or nothing was solved."""
    cost = matrix.cost[np.ix_(models, tasks)]
    solved = matrix.solved[np.ix_(models, tasks)].astype("float64")
    unknown = matrix.cost_unknown[np.ix_(models, tasks)].any(axis=1)
    total = np.where(unknown, np.nan, cost.sum(axis=1))
    n_solved = solved.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        point = np.where(n_solved > 0, total / n_solved, np.nan)
        cost_f = family_sums(cost, fam_codes, n_fam)
        solved_f = family_sums(solved, fam_codes, n_fam)
        boot = (weights @ cost_f) / (weights @ solved_f)
    boot = np.where(np.isfinite(boot), boot, np.nan)
    low = np.full(point.shape, np.nan)
    high = np.full(point.shape, np.nan)
    ok = ~np.isnan(point)
    if ok.any():
        # nanpercentile is slow; a draw only has a NaN where it picked nothing solved
        pick = np.percentile if np.isfinite(boot[:, ok]).all() else np.nanpercentile
        low[ok] = pick(boot[:, ok], 2.5, axis=0)
        high[ok] = pick(boot[:, ok], 97.5, axis=0)
    return point, low, high, total


def _bradley_terry(
    scores: np.ndarray, ranked: np.ndarray, fam_codes: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from routr_cli.ranking.bradley_terry import fit_with_bootstrap

    n = scores.shape[0]
    point = np.full(n, np.nan)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    idx = np.flatnonzero(ranked)
    if idx.size < 2:
        point[idx] = 0.0
        return point, point.copy(), point.copy()
    task_weights = weights[:BT_DRAWS][:, fam_codes]
    fit, boot = fit_with_bootstrap(scores[idx], task_weights)
    point[idx] = fit[0]
    assert boot is not None
    low[idx] = np.percentile(boot, 2.5, axis=0)
    high[idx] = np.percentile(boot, 97.5, axis=0)
    return point, low, high
