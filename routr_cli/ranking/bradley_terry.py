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

ITERATIONS = 300
PRIOR_TIES = 1.0  # pseudo-battles per pair, scored half-half


def battle_tensor(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-task wins and meetings: (tasks, models, models) arrays ``wins[t, i, j]`` and
    ``met[t, i, j]`` for one slice. NaN scores mean the model lacks the task."""
    present = ~np.isnan(scores)
    a = np.where(present, scores, 0.0).T  # (tasks, models)
    fail = np.where(present, 1.0 - np.nan_to_num(scores), 0.0).T
    met = present.T.astype("float64")
    wins = a[:, :, None] * fail[:, None, :]
    ties = a[:, :, None] * a[:, None, :] + fail[:, :, None] * fail[:, None, :]
    wins = wins + 0.5 * ties
    meetings = met[:, :, None] * met[:, None, :]
    return wins, meetings


def fit(wins: np.ndarray, meetings: np.ndarray) -> np.ndarray:
    """Log-strengths for each draw: ``wins``/``meetings`` are (draws, models, models).

    Returns (draws, models), centred on zero per draw.
    """
    draws, models, _ = wins.shape
    eye = np.eye(models, dtype=bool)
    w = np.where(eye, 0.0, wins + PRIOR_TIES / 2)
    n = np.where(eye, 0.0, meetings + PRIOR_TIES)
    total_wins = w.sum(axis=2)  # (draws, models)
    pi = np.ones((draws, models))
    for _ in range(ITERATIONS):
        denominator = (n / (pi[:, :, None] + pi[:, None, :])).sum(axis=2)
        new = total_wins / denominator
        new /= np.exp(np.log(new).mean(axis=1, keepdims=True))
        if np.max(np.abs(new - pi)) < 1e-10:
            pi = new
            break
        pi = new
    logs = np.log(pi)
    centred: np.ndarray = logs - logs.mean(axis=1, keepdims=True)
    return centred


def fit_with_bootstrap(
    scores: np.ndarray, task_weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The point fit (1, models) and, given (draws, tasks) weights, the bootstrap fits."""
    wins, meetings = battle_tensor(scores)
    models = scores.shape[0]
    point = fit(wins.sum(axis=0)[None], meetings.sum(axis=0)[None])
    if task_weights is None:
        return point, None
    flat_w = task_weights @ wins.reshape(wins.shape[0], models * models)
    flat_n = task_weights @ meetings.reshape(meetings.shape[0], models * models)
    boot = fit(flat_w.reshape(-1, models, models), flat_n.reshape(-1, models, models))
    return point, boot
