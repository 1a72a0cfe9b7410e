"""Bradley-Terry strengths from per-task battles, for an order that respects coverage.

Two models that both have a task fight one battle on it: with task scores ``a`` and
``b`` (each the share of epochs solved), A wins ``a(1-b)``, B wins ``b(1-a)`` and the
rest is a tie (both solve or both fail), counted as half a win each. A model benched on
fewer tasks meets the others only where they overlap, so it is never compared on work
it did not do.

The fit is Hunter's (2004) MM iteration, ``pi_i <- W_i / sum_j n_ij / (pi_i + pi_j)``,
vectorised over bootstrap draws. One pseudo-battle per pair, scored a tie, keeps every
strength finite when a model wins (or loses) everything. Scores are natural-log
strengths centred on mean zero: ``P(i beats j) = 1 / (1 + exp(s_j - s_i))``.

With complete coverage every pair meets on the same tasks, a model's total wins are
``(M-1) T / 2 + T/2 * sum_j (p_i - p_j)`` -- increasing in its pass rate -- and with
equal battle counts the fitted order is the order of total wins, so Bradley-Terry
agrees with the pass-rate order (tested).
"""

from __future__ import annotations

import numpy as np

ITERATIONS = 500
TOLERANCE = 1e-9  # on log-strengths: far below any difference a table shows
PRIOR_TIES = 1.0  # pseudo-battles per pair, scored half-half


def _battles(scores: np.ndarray, task_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wins and meetings per draw: (draws, models, models), from (draws, tasks) weights.

    With ties scored half, a battle on task t is worth ``(1 + a_it - a_jt) / 2`` to i, so
    ``wins = (N + X - X^T) / 2`` with ``N_ij = sum_t w_t P_it P_jt`` (meetings) and
    ``X_ij = sum_t w_t a_it P_jt`` (P: the model has the task; a: its score, 0 where
    absent). With complete coverage ``N`` is the total weight and ``X_ij`` is i's
    weighted score sum, so no (models x models x tasks) product is needed at all.
    """
    present = ~np.isnan(scores)
    a = np.where(present, scores, 0.0)
    draws, models = task_weights.shape[0], scores.shape[0]
    if present.all():
        totals = task_weights.sum(axis=1)  # (draws,)
        sums = task_weights @ a.T  # (draws, models)
        meetings = np.broadcast_to(totals[:, None, None], (draws, models, models)).copy()
        x = np.broadcast_to(sums[:, :, None], (draws, models, models))
    else:
        p = present.astype("float64")
        pairs_n = (p[:, None, :] * p[None, :, :]).reshape(models * models, -1)
        pairs_x = (a[:, None, :] * p[None, :, :]).reshape(models * models, -1)
        meetings = (task_weights @ pairs_n.T).reshape(draws, models, models)
        x = (task_weights @ pairs_x.T).reshape(draws, models, models)
    wins = (meetings + x - np.swapaxes(x, 1, 2)) / 2
    return wins, meetings


def fit(wins: np.ndarray, meetings: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """Log-strengths for each draw: ``wins``/``meetings`` are (draws, models, models).

    Returns (draws, models), centred on zero per draw. ``start`` (log-strengths, one row
    or one per draw) warm-starts the iteration: bootstrap refits begin at the point fit.
    """
    draws, models, _ = wins.shape
    eye = np.eye(models, dtype=bool)
    w = np.where(eye, 0.0, wins + PRIOR_TIES / 2)
    n = np.where(eye, 0.0, meetings + PRIOR_TIES)
    total_wins = w.sum(axis=2)  # (draws, models)
    pi = (
        np.ones((draws, models))
        if start is None
        else np.exp(np.broadcast_to(start, (draws, models)))
    )
    for _ in range(ITERATIONS):
        denominator = (n / (pi[:, :, None] + pi[:, None, :])).sum(axis=2)
        new = total_wins / denominator
        new /= np.exp(np.log(new).mean(axis=1, keepdims=True))
        done = np.max(np.abs(np.log(new) - np.log(pi))) < TOLERANCE
        pi = new
        if done:
            break
    logs = np.log(pi)
    centred: np.ndarray = logs - logs.mean(axis=1, keepdims=True)
    return centred


def fit_with_bootstrap(
    scores: np.ndarray, task_weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The point fit (1, models) and, given (draws, tasks) weights, the bootstrap fits."""
    ones = np.ones((1, scores.shape[1]))
    point = fit(*_battles(scores, ones))
    if task_weights is None:
        return point, None
    return point, fit(*_battles(scores, task_weights), start=point)
