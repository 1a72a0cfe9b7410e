"""Small, dependency-free statistics for the leaderboard."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (95% by default).

    Chosen over the normal ("Wald") interval because it stays inside [0, 1] and behaves
    at 0 and n successes and at small n, which is exactly where a new model starts.
    With no trials, the honest interval is all of [0, 1]. At 0 and n successes the
    closed form's outer bound is exactly 0 or 1, but the floating-point subtraction
    leaves ~1e-17 (or 1 - 1e-16); those bounds are set exactly so that JSON consumers
    comparing ``ci_high == 1`` for a perfect score get what the maths says.
    """
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"successes {successes} outside 0..{trials}")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - margin)
    high = 1.0 if successes == trials else min(1.0, centre + margin)
    return low, high


def median_or_none(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def effective_wilson(
    p: float, n_units: int, variance: float, z: float = Z_95
) -> tuple[float, float]:
    """A Wilson interval for a clustered mean: Wilson with the effective sample size.

    ``variance`` is the (cluster-robust) variance of the estimate ``p``. A binomial
    proportion over ``n`` independent trials has variance ``p(1-p)/n``, so the number of
    independent trials the data is worth is ``n_eff = p(1-p)/variance``; Wilson over
    ``n_eff`` keeps Wilson's good small-sample behaviour while the width follows the real,
    clustered spread. With one epoch per task and singleton clusters ``n_eff`` is exactly
    the task count, i.e. plain Wilson on task outcomes. At p = 0 or 1 (no spread to
    measure) the task count is used.
    """
    if n_units <= 0:
        return 0.0, 1.0
    no_spread = variance <= 0 or p <= 0 or p >= 1
    n_eff = float(n_units) if no_spread else p * (1 - p) / variance
    z2 = z * z
    denominator = 1 + z2 / n_eff
    centre = (p + z2 / (2 * n_eff)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff)) / denominator
    low = 0.0 if p <= 0 else max(0.0, centre - margin)
    high = 1.0 if p >= 1 else min(1.0, centre + margin)
    return low, high


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k) for n samples, c correct.

    The probability that at least one of k samples drawn without replacement from the n
    is correct; computed as a running product to stay exact-ish for large n.
    """
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} samples, got {n}")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def pass_hat_k(n: int, c: int, k: int) -> float:
    """pass^k: the probability that k samples drawn without replacement are ALL correct,
    C(c, k) / C(n, k) -- reliability rather than reach (tau-bench's pass^k)."""
    if k > n:
        raise ValueError(f"pass^{k} needs at least {k} samples, got {n}")
    if c < k:
        return 0.0
    product = 1.0
    for i in range(k):
        product *= (c - i) / (n - i)
    return product


def _log_binom_pmf(k: int, n: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) - n * math.log(2)


def mcnemar_exact(wins: int, losses: int) -> float:
    """Two-sided exact McNemar p-value: the discordant pairs against Binomial(n, 1/2).

    p = min(1, 2 * P(X <= min(wins, losses))) with n = wins + losses; 1 when there is no
    discordant pair (nothing to tell the two apart).
    """
    n = wins + losses
    if n == 0:
        return 1.0
    tail = sum(math.exp(_log_binom_pmf(i, n)) for i in range(min(wins, losses) + 1))
    return min(1.0, 2.0 * tail)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg q-values (step-up, monotone, capped at 1), in input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(1.0, running)
    return q


Z_80 = 0.8416212335729143  # one-sided z for 80% power


def bh_per_test_level(p: float, q: float, alpha: float, family: int) -> float:
    """The per-test level Benjamini-Hochberg held one comparison to: ``alpha * p / q``.

    BH decides the comparison of rank i at ``p <= alpha * i / m``, and its q-value is
    ``p * m / i`` when the step-up minimum does not bind, so ``alpha * i / m = alpha * p / q``.
    When the minimum binds (a larger p brought q down), ``alpha * p / q`` is still the level
    p is in effect held to: ``p < alpha * p / q`` exactly when ``q < alpha``. A power
    calculation for a verdict decided at q must use this level, not ``alpha``: a single-test
    "tasks needed" would promise a resolution that the adjusted test cannot give.

    Since ``p <= q <= p * m``, the level lies between Bonferroni's ``alpha / m`` and
    ``alpha``; it is clamped there against rounding. ``p == 0`` (then ``q == 0``) leaves the
    ratio undefined: the strictest BH level, ``alpha / m``, is used. ``q <= p`` (a family of
    one) gives ``alpha`` itself, so a single comparison keeps its single-test figures.
    """
    strictest = alpha / max(family, 1)
    if p <= 0 or q <= 0:
        return strictest
    if q <= p:
        return alpha
    return min(alpha, max(strictest, alpha * p / q))


def two_sided_z(alpha: float) -> float:
    """The z of a two-sided test at ``alpha`` (1.95996 at 0.05). Taken from the lower tail,
    ``-inv_cdf(alpha / 2)``, so a tiny alpha keeps its precision (``1 - alpha / 2`` would
    round to 1)."""
    return -NormalDist().inv_cdf(alpha / 2)


def pass_at_k_array(n: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
    """``pass_at_k`` over arrays of (samples, correct), the same running product."""
    out = np.ones(n.shape, dtype="float64")
    for i in range(1, int(n.max(initial=0)) + 1):
        inside = (i >= n - c + 1) & (i <= n)
        out = np.where(inside, out * (1.0 - k / i), out)
    return np.where(n - c < k, 1.0, 1.0 - out)


def pass_hat_k_array(n: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
    """``pass_hat_k`` over arrays of (samples, correct)."""
    out = np.ones(n.shape, dtype="float64")
    for i in range(k):
        out = out * np.where(c >= k, (c - i) / np.maximum(n - i, 1), 0.0)
    return np.where(c >= k, out, 0.0)
