"""The attempt frame folded into (models x tasks) matrices, one set per solver.

Every statistic in the ranking is a sum over tasks of a per-(model, task) figure: the
task score (mean over its graded epochs), cost, solved count. Building those matrices
once, with ``np.bincount`` over integer codes, is what makes a million attempts cheap:
after this fold nothing iterates over attempts again.

A *slice* is the overall view ("all") or one category, for one solver. Clusters for the
bootstrap are task families (tasks sharing an origin); ``family_sums`` folds task
columns into family rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

ALL = "all"
LANGUAGE_PREFIX = "language:"  # a slice of the tasks in one language (recommend --language)
FloatArray = np.ndarray
IntArray = np.ndarray


@dataclass
class SolverMatrix:
    """Per-(model, task) sums for one solver. Arrays are (models, tasks) unless noted."""

    solver: str
    models: list[str]
    simulated: np.ndarray  # (models,) bool
    tasks: list[str]
    task_category: np.ndarray  # (tasks,) str
    task_family: np.ndarray  # (tasks,) int codes into families
    task_language: np.ndarray  # (tasks,) str ("" when unknown)
    families: list[str]
    graded: np.ndarray  # graded attempts (int)
    solved: np.ndarray  # solved attempts among graded (int)
    attempts: np.ndarray  # every attempt, graded or not (int)
    cost: np.ndarray  # summed cost over every attempt (float; unknown counts as 0)
    cost_unknown: np.ndarray  # any attempt without a cost (bool)
    latency: np.ndarray  # summed model latency over graded attempts (float)

    @property
    def present(self) -> np.ndarray:
        """Where a model has at least one graded attempt on a task."""
        return self.graded > 0

    def scores(self) -> np.ndarray:
        """Task scores: the mean over graded epochs; NaN where the model lacks the task."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.graded > 0, self.solved / np.maximum(self.graded, 1), np.nan)

    def task_columns(self, category: str) -> np.ndarray:
        """Indices of the tasks in a slice: "all", a category, or ``language:NAME``."""
        if category == ALL:
            return np.arange(len(self.tasks))
        if category.startswith(LANGUAGE_PREFIX):
            return np.flatnonzero(self.task_language == category[len(LANGUAGE_PREFIX) :])
        return np.flatnonzero(self.task_category == category)

    def categories(self) -> list[str]:
        return sorted({str(c) for c in self.task_category})

    def language_slices(self) -> list[str]:
        """``language:NAME`` for each language the tasks are in."""
        return [f"{LANGUAGE_PREFIX}{n}" for n in sorted({str(x) for x in self.task_language if x})]


def build_matrices(cells: pd.DataFrame) -> dict[str, SolverMatrix]:
    """One ``SolverMatrix`` per solver from an ``AttemptSummary``'s cells (solvers are
    never pooled)."""
    import pandas as pd

    out: dict[str, SolverMatrix] = {}
    for solver, part in cells.groupby("solver", sort=True):
        models, model_codes = _factorize(part["model"])
        tasks, task_codes = _factorize(part["task_id"])
        n_m, n_t = len(models), len(tasks)
        cell = model_codes * n_t + task_codes

        def fold(
            column: str,
            *,
            part: pd.DataFrame = part,
            cell: np.ndarray = cell,
            shape: tuple[int, int] = (n_m, n_t),
        ) -> np.ndarray:
            values = part[column].to_numpy(dtype="float64")
            return np.bincount(cell, weights=values, minlength=shape[0] * shape[1]).reshape(shape)

        first = pd.DataFrame(
            {
                "t": task_codes,
                "c": part["category"].to_numpy(),
                "f": part["family"].to_numpy(),
                "l": part["language"].to_numpy(),
            }
        )
        first = first.drop_duplicates("t").sort_values("t")
        families, family_codes = _factorize(first["f"])
        sim = pd.Series(part["simulated"].to_numpy(dtype=bool)).groupby(model_codes).any()
        out[str(solver)] = SolverMatrix(
            solver=str(solver),
            models=models,
            simulated=sim.reindex(range(n_m), fill_value=False).to_numpy(dtype=bool),
            tasks=tasks,
            task_category=first["c"].astype(str).to_numpy(),
            task_family=family_codes,
            task_language=first["l"].astype(str).to_numpy(),
            families=families,
            graded=fold("graded").astype("int64"),
            solved=fold("solved").astype("int64"),
            attempts=fold("attempts").astype("int64"),
            cost=fold("cost"),
            cost_unknown=fold("cost_unknown") > 0,
            latency=fold("latency"),
        )
    return out


def _factorize(values: pd.Series) -> tuple[list[str], np.ndarray]:
    """Sorted unique values and each row's code (sorted so output order is stable)."""
    import pandas as pd

    codes, uniques = pd.factorize(values.astype(str), sort=True)
    return [str(u) for u in uniques], np.asarray(codes, dtype="int64")


def family_sums(values: np.ndarray, family: np.ndarray, n_families: int) -> np.ndarray:
    """Fold task columns into families: (rows, tasks) -> (families, rows)."""
    if n_families == family.size and np.array_equal(family, np.arange(n_families)):
        return np.ascontiguousarray(values.T, dtype="float64")  # singleton families
    out = np.zeros((n_families, values.shape[0]), dtype="float64")
    np.add.at(out, family, values.T)
    return out


def bootstrap_weights(n_clusters: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """(draws, clusters) resampling counts: each draw picks ``n_clusters`` clusters with
    replacement; the count says how many times each was picked."""
    picks = rng.integers(0, n_clusters, size=(draws, n_clusters))
    offsets = (np.arange(draws) * n_clusters)[:, None]
    counts = np.bincount((picks + offsets).ravel(), minlength=draws * n_clusters)
    return counts.reshape(draws, n_clusters).astype("float64")
