"""The attempt frame folded to what the statistics read: per-(model, task) cells and
per-(model, slice) extras. Everything after this fold scales with models x tasks, not
with attempts.

Two ways to get an ``AttemptSummary``, with the same result (a test holds them equal):

- ``summarise(frame)``: pandas over an attempt frame (tests, the router, any caller
  holding rows);
- ``routr_cli.store.frame.read_attempt_summary(db)``: the same aggregation done by DuckDB
  in the one query, so a million attempts never become a million Python objects (what
  ``routr rank``, ``compare`` and ``recommend`` use).

``cells`` columns (one row per solver, model, task): simulated, category, family,
graded, solved, attempts, cost (known costs summed), cost_unknown, latency (graded
attempts' model time, summed).
``extras`` columns (one row per solver, model, category -- ``all`` for overall): total,
one count per failure kind (``FAILURE_KINDS``), suspect, p50, p90 (latency of graded
attempts), newest (the latest attempt's timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from routr_cli.ranking.frame import UNGRADED_STATUSES, solver_display
from routr_cli.ranking.matrix import ALL

if TYPE_CHECKING:
    import pandas as pd

# Failure kinds, in the order tables show them.
FAILURE_KINDS = (
    "malformed_edit",
    "unappliable_edit",
    "tests_failed",
    "timeout",
    "provider_error",
    "sandbox_error",
    "tampered",
    "suspect",
    "other",
)
CELL_COLUMNS = (
    "solver",
    "model",
    "task_id",
    "simulated",
    "category",
    "family",
    "language",
    "graded",
    "solved",
    "attempts",
    "cost",
    "cost_unknown",
    "latency",
)
EXTRA_COLUMNS = (
    "solver",
    "model",
    "category",
    "total",
    *FAILURE_KINDS,
    "suspect_flagged",
    "p50",
    "p90",
    "newest",
)


@dataclass(frozen=True)
class AttemptSummary:
    cells: pd.DataFrame
    extras: pd.DataFrame

    @property
    def empty(self) -> bool:
        return len(self.cells) == 0

    def normalised(self) -> AttemptSummary:
        """Shown solver names and plain dtypes, whichever path built it."""
        cells = self.cells.copy()
        extras = self.extras.copy()
        for part in (cells, extras):
            part["solver"] = _displayed(part["solver"])
            part["model"] = part["model"].astype(str)
            part["category"] = part["category"].astype(str)
        cells["task_id"] = cells["task_id"].astype(str)
        cells["family"] = cells["family"].astype(str)
        cells["language"] = cells["language"].fillna("").astype(str)
        cells["simulated"] = cells["simulated"].astype(bool)
        cells["cost_unknown"] = cells["cost_unknown"].astype(bool)
        for column in ("graded", "solved", "attempts"):
            cells[column] = cells[column].astype("int64")
        for column in ("cost", "latency"):
            cells[column] = cells[column].astype("float64")
        for column in ("total", *FAILURE_KINDS, "suspect_flagged"):
            extras[column] = extras[column].astype("int64")
        return AttemptSummary(cells[list(CELL_COLUMNS)], extras[list(EXTRA_COLUMNS)])


def _displayed(solvers: pd.Series) -> pd.Series:
    """Shown solver names, looked up once per distinct name (a cell per model and task
    made the per-row lookup a measurable share of `routr rank`)."""
    import pandas as pd

    codes, names = pd.factorize(solvers.astype(str))
    shown = np.array([solver_display(str(n)) for n in names], dtype=object)
    return pd.Series(shown[codes] if len(names) else [], index=solvers.index, dtype=object)


def failure_kind(frame: pd.DataFrame) -> np.ndarray:
    """Each attempt's failure kind ("" when solved), one vocabulary for every table.
    (``store.frame`` writes the same rule in SQL; a test holds the two equal.)"""
    status = frame["status"].astype(str).to_numpy()
    reason = frame["reason"].fillna("").astype(str).to_numpy()
    solved = frame["solved"].to_numpy(dtype=bool)
    return np.select(
        [
            status == "provider_error",
            status == "sandbox_error",
            reason == "tampered",
            (status == "suspect") | (reason == "suspect"),
            status == "malformed_edit",
            status == "unappliable_edit",
            solved,
            reason == "timeout",
            np.isin(reason, ["tests_failed", ""]),
        ],
        [
            "provider_error",
            "sandbox_error",
            "tampered",
            "suspect",
            "malformed_edit",
            "unappliable_edit",
            "",
            "timeout",
            "tests_failed",
        ],
        default="other",
    )


def summarise(frame: pd.DataFrame) -> AttemptSummary:
    """Fold an attempt frame (pandas). Pure."""
    import pandas as pd

    from routr_cli.ranking.frame import normalise_frame

    frame = normalise_frame(frame)
    graded = ~frame["status"].isin(UNGRADED_STATUSES)
    cost = frame["cost_usd"]
    base = pd.DataFrame(
        {
            "solver": frame["solver"],
            "model": frame["model"],
            "task_id": frame["task_id"],
            "simulated": frame["simulated"],
            "category": frame["category"].astype(str),
            "family": frame["family"],
            "language": frame["language"].fillna("").astype(str),
            "graded": graded.astype("int64"),
            "solved": (frame["solved"] & graded).astype("int64"),
            "attempts": 1,
            "cost": cost.fillna(0.0),
            "cost_unknown": cost.isna(),
            "latency": frame["latency_s"].fillna(0.0).where(graded, 0.0),
            "kind": failure_kind(frame),
            "suspect_flagged": frame["suspect"].astype("int64"),
            "graded_latency": frame["latency_s"].where(graded),
            "newest": frame["finished_at"],
        }
    )
    keys = ["solver", "model", "task_id"]
    cells = (
        base.groupby(keys, sort=True)
        .agg(
            simulated=("simulated", "any"),
            category=("category", "min"),
            family=("family", "min"),
            language=("language", "min"),
            graded=("graded", "sum"),
            solved=("solved", "sum"),
            attempts=("attempts", "sum"),
            cost=("cost", "sum"),
            cost_unknown=("cost_unknown", "any"),
            latency=("latency", "sum"),
        )
        .reset_index()
    )
    parts = []
    for scope in (["solver", "model"], ["solver", "model", "category"]):
        grouped = base.groupby(scope, sort=True)
        part = grouped.agg(
            total=("attempts", "sum"),
            suspect_flagged=("suspect_flagged", "sum"),
            newest=("newest", "max"),
        )
        quantiles = grouped["graded_latency"].quantile(np.array([0.5, 0.9])).unstack()
        part["p50"] = quantiles[0.5]
        part["p90"] = quantiles[0.9]
        kinds = base.groupby([*scope, "kind"], sort=True).size().unstack(fill_value=0)
        for kind in FAILURE_KINDS:
            part[kind] = kinds[kind] if kind in kinds.columns else 0
        part = part.reset_index()
        if "category" not in scope:
            part["category"] = ALL
        parts.append(part)
    extras = pd.concat(parts, ignore_index=True)
    return AttemptSummary(cells, extras).normalised()
