"""Known-answer tests for the statistics: hand-worked values and interval coverage."""

from __future__ import annotations

import math

import numpy as np
import pytest

from routr_cli.ranking.slices import _intervals
from routr_cli.ranking.stats import (
    benjamini_hochberg,
    effective_wilson,
    mcnemar_exact,
    pass_at_k,
    pass_at_k_array,
    pass_hat_k,
    pass_hat_k_array,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (1, 1, 0.2065, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_interval_matches_published_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    got_low, got_high = wilson_interval(successes, trials)
    assert got_low == pytest.approx(low, abs=5e-4)
    assert got_high == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize("trials", [1, 3, 7, 10, 13, 27, 100, 263])
def test_wilson_bounds_are_exact_at_zero_and_all_successes(trials: int) -> None:
    low, high = wilson_interval(0, trials)
    assert low == 0.0 and 0.0 < high < 1.0
    low, high = wilson_interval(trials, trials)
    assert high == 1.0 and 0.0 < low < 1.0
    for successes in range(trials + 1):
        low, high = wilson_interval(successes, trials)
        mirror_low, mirror_high = wilson_interval(trials - successes, trials)
        assert high == pytest.approx(1 - mirror_low, abs=1e-12)
        assert low == pytest.approx(1 - mirror_high, abs=1e-12)


def test_effective_wilson_is_plain_wilson_for_one_epoch_per_task() -> None:
    for k, n in [(0, 10), (3, 10), (7, 12), (12, 12), (40, 100)]:
        p = k / n
        variance = p * (1 - p) / n  # what clustered_variance gives for 0/1 task scores
        assert effective_wilson(p, n, variance) == pytest.approx(wilson_interval(k, n), abs=1e-12)


def test_pass_at_k_and_pass_hat_k_hand_worked() -> None:
    # n=5 samples, c=2 correct: pass@2 = 1 - C(3,2)/C(5,2) = 1 - 3/10; pass^2 = C(2,2)/C(5,2)
    assert pass_at_k(5, 2, 2) == pytest.approx(0.7)
    assert pass_hat_k(5, 2, 2) == pytest.approx(0.1)
    assert pass_at_k(10, 0, 5) == 0.0 and pass_at_k(10, 6, 5) == 1.0
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)  # pass@1 is the plain mean
    assert pass_hat_k(10, 10, 3) == 1.0 and pass_hat_k(10, 2, 3) == 0.0
    n = np.array([5, 10, 10, 3, 7])
    c = np.array([2, 0, 6, 3, 4])
    for k in (1, 2, 3):
        assert pass_at_k_array(n, c, k) == pytest.approx(
            [pass_at_k(a, b, k) for a, b in zip(n, c, strict=True)]
        )
        assert pass_hat_k_array(n, c, k) == pytest.approx(
            [pass_hat_k(a, b, k) for a, b in zip(n, c, strict=True)]
        )


def test_mcnemar_exact_hand_worked() -> None:
    # 1 vs 9 discordant: 2 * (C(10,0) + C(10,1)) / 2^10 = 22/1024
    assert mcnemar_exact(1, 9) == pytest.approx(22 / 1024)
    assert mcnemar_exact(9, 1) == pytest.approx(22 / 1024)
    assert mcnemar_exact(5, 5) == 1.0 and mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)


def test_benjamini_hochberg_hand_worked() -> None:
    # sorted .005 .01 .03 .04 (m=4): .02 .02 .04 .04, back in input order
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([0.5, 0.9]) == pytest.approx([0.9, 0.9])
    assert benjamini_hochberg([]) == []


def _coverage(
    rng: np.random.Generator, *, tasks: int, epochs: int, a: float, b: float, benches: int
) -> tuple[float, float]:
    """Share of simulated benches whose interval holds the true rate a/(a+b): the
    clustered interval, and (the control) Wilson over attempts as if independent."""
    p_task = rng.beta(a, b, size=(tasks, benches))
    solved = rng.binomial(epochs, p_task)  # (tasks, benches)
    scores = solved / epochs
    counts = np.ones_like(scores)
    rate = scores.mean(axis=0)
    low, high = _intervals(rate, scores, counts, np.full(benches, tasks))
    truth = a / (a + b)
    clustered = float(((low <= truth) & (truth <= high)).mean())
    naive = [wilson_interval(int(s), tasks * epochs) for s in solved.sum(axis=0)]
    control = float(np.mean([lo <= truth <= hi for lo, hi in naive]))
    return clustered, control


@pytest.mark.parametrize(
    ("tasks", "epochs", "a", "b"),
    [(60, 1, 2.0, 2.0), (80, 5, 1.5, 1.0), (120, 3, 4.0, 1.0), (40, 10, 1.0, 1.0)],
)
def test_interval_coverage_is_95_percent_on_simulated_benches(
    tasks: int, epochs: int, a: float, b: float
) -> None:
    clustered, naive = _coverage(
        np.random.default_rng(tasks * epochs), tasks=tasks, epochs=epochs, a=a, b=b, benches=1000
    )
    assert 0.93 <= clustered <= 0.97, clustered
    if epochs >= 3:
        # The control: epochs counted as independent trials cover far less than 95%.
        assert naive < 0.925, naive  # outside the +/-2 point band the clustered one meets


def test_clustered_variance_counts_families_not_tasks() -> None:
    """Four tasks copied from one origin move together: the family is the unit."""
    from routr_cli.ranking.slices import clustered_variance

    scores = np.array([[1.0], [1.0], [1.0], [1.0], [0.0], [0.0], [0.0], [0.0]])
    per_task = clustered_variance(scores, np.ones_like(scores), np.array([0.5]))
    families = np.array([[4.0], [0.0]])
    per_family = clustered_variance(families, np.array([[4.0], [4.0]]), np.array([0.5]))
    assert per_task[0] == pytest.approx(0.25 / 8)
    assert per_family[0] == pytest.approx(0.25 / 2)
    assert math.isfinite(per_family[0])


def test_family_clustering_keeps_coverage_when_tasks_share_an_origin() -> None:
    """Tasks imported from one origin (families of 4 sharing a solve probability):
    clustering by family covers ~95%; treating each task as independent does not."""
    rng = np.random.default_rng(11)
    benches, families, size = 1000, 30, 4
    p_family = rng.beta(2.0, 2.0, size=(families, benches))
    solved = rng.binomial(1, np.repeat(p_family, size, axis=0))  # (tasks, benches)
    truth = 0.5
    rate = solved.mean(axis=0)
    fam_sums = solved.reshape(families, size, benches).sum(axis=1).astype(float)
    fam_counts = np.full((families, benches), float(size))
    low, high = _intervals(rate, fam_sums, fam_counts, np.full(benches, families * size))
    clustered = float(((low <= truth) & (truth <= high)).mean())
    tasks = families * size
    low_t, high_t = _intervals(
        rate, solved.astype(float), np.ones((tasks, benches)), np.full(benches, tasks)
    )
    per_task = float(((low_t <= truth) & (truth <= high_t)).mean())
    assert 0.93 <= clustered <= 0.97, clustered
    assert per_task < 0.90, per_task  # the control: ignoring families over-claims
