"""`route eval`'s arithmetic on synthetic attempts: k-fold picks, baselines, hull, verdict."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from routr_cli.router.evaluate import STRATEGIES, _upper_hull, evaluate, hull_at
from routr_cli.router.policy import ModelInfo, RouteStat, RoutingTable

CATS = ("concurrency", "data-processing", "bugfix", "feature")
INFOS = {
    "a/gen": ModelInfo("a/gen", "a", input_per_mtok=3, output_per_mtok=15),
    "b/data": ModelInfo("b/data", "b", input_per_mtok=0.5, output_per_mtok=2),
    "c/conc": ModelInfo("c/conc", "c", input_per_mtok=0.5, output_per_mtok=2),
}


def frame(
    skill: dict[str, dict[str, float]], cost: dict[str, float], seed: int = 1
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for category in CATS:
        for t in range(12):
            for model, table in skill.items():
                for epoch in range(2):
                    rows.append({
                        "model": model, "task_id": f"{category}-{t}", "category": category,
                        "solver": "edit", "epoch": epoch, "status": "done", "simulated": True,
                        "solved": bool(rng.random() < table[category]), "cost_usd": cost[model],
                    })  # fmt: skip
    return pd.DataFrame(rows)


def simple_fit(train: pd.DataFrame) -> RoutingTable:
    """Pass rates with normal-approximation intervals; ties by overlap with the best."""
    slices = {}
    for category, part in [("all", train), *train.groupby("category")]:
        stats = []
        for model, rows in part.groupby("model"):
            p, n = float(rows["solved"].mean()), rows["task_id"].nunique()
            half = 1.96 * math.sqrt(max(p * (1 - p), 0.01) / len(rows))
            stats.append((p, model, max(0.0, p - half), min(1.0, p + half), n))
        stats.sort(reverse=True)
        best_low = stats[0][2]
        slices[str(category)] = tuple(
            RouteStat(m, str(category), True, p, lo, hi, n, 0 if hi >= best_low else i + 1)
            for i, (p, m, lo, hi, n) in enumerate(stats)
        )
    return RoutingTable(slices)


SPECIALISTS = {
    "a/gen": {"concurrency": 0.75, "data-processing": 0.75, "bugfix": 0.95, "feature": 0.95},
    "b/data": {"concurrency": 0.1, "data-processing": 0.97, "bugfix": 0.8, "feature": 0.8},
    "c/conc": {"concurrency": 0.97, "data-processing": 0.1, "bugfix": 0.8, "feature": 0.8},
}
COSTS = {"a/gen": 0.05, "b/data": 0.01, "c/conc": 0.01}


def test_specialists_make_routing_pay_and_the_verdict_says_so() -> None:
    result = evaluate(frame(SPECIALISTS, COSTS), simple_fit, INFOS, folds=4, draws=300)
    by = {s.name: s for s in result.strategies}
    assert tuple(by) == STRATEGIES
    assert result.n_tasks == 48 and result.folds == 4
    assert by["auto"].pass_rate > by["best single"].pass_rate
    assert by["auto"].cost < by["best single"].cost
    assert by["oracle"].pass_rate >= by["auto"].pass_rate
    assert by["auto"].pass_low <= by["auto"].pass_rate <= by["auto"].pass_high
    assert result.beats_best and result.verdict.startswith("auto beats the best single model")
    assert by["auto"].pass_rate > by["zero-router"].pass_rate  # routing beats mere mixing
    assert result.apgr is not None and result.apgr > 0.5  # most of the gap recovered
    assert result.auc_router > result.auc_hull


def test_one_dominant_model_gets_a_plain_no() -> None:
    same = {m: {c: 0.7 for c in CATS} for m in SPECIALISTS}
    same["a/gen"] = {c: 0.95 for c in CATS}
    result = evaluate(frame(same, COSTS), simple_fit, INFOS, folds=4, draws=300)
    assert not result.beats_best
    assert "does NOT beat the best single model (a/gen)" in result.verdict
    assert "-m a/gen" in result.verdict


def test_hull_of_mixtures() -> None:
    hull = _upper_hull([(1.0, 0.5), (2.0, 0.55), (3.0, 0.9), (4.0, 0.85)])
    assert hull == [(1.0, 0.5), (3.0, 0.9)]  # (2, .55) is under the chord; (4, .85) dominated
    assert hull_at(hull, 2.0) == pytest.approx(0.7)
    assert hull_at(hull, 0.5) == 0.5 and hull_at(hull, 9.0) == 0.9


def test_too_little_data_is_a_clear_error() -> None:
    from routr_cli.errors import ConfigError

    tiny = frame(SPECIALISTS, COSTS).head(6)
    with pytest.raises(ConfigError, match="bench more"):
        evaluate(tiny, simple_fit, INFOS)
