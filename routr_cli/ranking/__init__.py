"""Ranking: pure statistics over the attempt frame (no database, no network, no Docker).

The public API (docs/methodology.md describes every method; the site and the router
code against these names):

- ``attempt_frame_from_rows(rows)``: the attempt frame from plain dicts
  (``routr_cli.store.frame.read_attempt_frame`` reads it from a database);
- ``standings(frame) -> Leaderboard`` of ``Standing`` rows;
- ``compare(frame, a, b) -> Comparison`` and ``compare_all(frame)``;
- ``classify(text)``, ``classifier_model()``, ``classify_with(model, text)``;
- ``recommend(text, leaderboard) -> Recommendation``.

Names are resolved lazily: importing the package costs nothing until one is used
(numpy and pandas load with the first), so ``routr --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routr_cli.ranking.classifier import (
        Classification,
        classifier_model,
        classify,
        classify_with,
        leave_one_out,
    )
    from routr_cli.ranking.comparisons import Comparison, compare, compare_all
    from routr_cli.ranking.frame import attempt_frame_from_rows, solver_display
    from routr_cli.ranking.leaderboard import Leaderboard, Standing, rank, standings
    from routr_cli.ranking.matrix import ALL
    from routr_cli.ranking.recommendation import Constraints, Pick, Recommendation, recommend
    from routr_cli.ranking.stats import wilson_interval

_WHERE = {
    "ALL": "matrix",
    "Classification": "classifier",
    "classifier_model": "classifier",
    "classify": "classifier",
    "classify_with": "classifier",
    "leave_one_out": "classifier",
    "Comparison": "comparisons",
    "compare": "comparisons",
    "compare_all": "comparisons",
    "attempt_frame_from_rows": "frame",
    "solver_display": "frame",
    "Constraints": "recommendation",
    "Pick": "recommendation",
    "Recommendation": "recommendation",
    "recommend": "recommendation",
    "Leaderboard": "leaderboard",
    "Standing": "leaderboard",
    "rank": "leaderboard",
    "standings": "leaderboard",
    "wilson_interval": "stats",
}

__all__ = [
    "ALL",
    "Classification",
    "Comparison",
    "Constraints",
    "Leaderboard",
    "Pick",
    "Recommendation",
    "Standing",
    "attempt_frame_from_rows",
    "classifier_model",
    "classify",
    "classify_with",
    "compare",
    "compare_all",
    "leave_one_out",
    "rank",
    "recommend",
    "solver_display",
    "standings",
    "wilson_interval",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'routr_cli.ranking' has no attribute {name!r}")
    return getattr(import_module(f"routr_cli.ranking.{module}"), name)
