"""Synthetic attempt frames with known truth, for the ranking tests and the benchmark.

``simulated_rows`` draws each task's solve probability around a model's true rate, so
task difficulty varies (as in a real suite) and epochs of one task are correlated --
exactly the case where counting epochs as independent trials would be wrong.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from routr_cli.ranking import attempt_frame_from_rows
from routr_cli.store import AttemptRecord

CATEGORIES = ("bugfix", "feature", "security")


def row(model: str, task: str, solved: bool, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = dict(
        model=model, task_id=task, category="bugfix", solver="edit", epoch=0,
        status="solved" if solved else "failed", solved=solved,
        reason=None if solved else "tests_failed", simulated=model.startswith("sim/"),
        cost_usd=0.01, latency_s=2.0, input_tokens=100, output_tokens=10,
    )  # fmt: skip
    out.update(kw)
    return out


def frame_from_outcomes(outcomes: dict[str, list[int]], **kw: Any) -> pd.DataFrame:
    """One epoch per task: ``outcomes[model][t]`` is 1 (solved) or 0 on task t."""
    rows = [
        row(model, f"t{t:03d}", bool(v), category=CATEGORIES[t % len(CATEGORIES)], **kw)
        for model, values in outcomes.items()
        for t, v in enumerate(values)
    ]
    return attempt_frame_from_rows(rows)


def simulated_frame(
    rates: dict[str, float], *, tasks: int = 60, epochs: int = 1, seed: int = 0, spread: float = 4.0
) -> pd.DataFrame:
    """Each model solves task t with probability drawn from Beta around its rate; the
    task's difficulty is shared by every model (a hard task is hard for all)."""
    rng = np.random.default_rng(seed)
    difficulty = rng.normal(0.0, 1.0, size=tasks)
    rows = []
    for model, rate in rates.items():
        logit = np.log(rate / (1 - rate)) + difficulty / spread * 4
        p = 1 / (1 + np.exp(-logit))
        for t in range(tasks):
            for e in range(epochs):
                solved = bool(rng.random() < p[t])
                rows.append(
                    row(
                        model,
                        f"t{t:04d}",
                        solved,
                        epoch=e,
                        category=CATEGORIES[t % len(CATEGORIES)],
                        cost_usd=0.01 * (1 + rate),
                        latency_s=1.0 + rate,
                    )
                )
    return attempt_frame_from_rows(rows)


def attempt_record(model: str, task: int, solved: bool, **kw: Any) -> AttemptRecord:
    """A stored attempt of ``model`` on task ``t{task:02d}`` (bugfix when even, else feature)."""
    category = ("bugfix", "feature")[task % 2]
    fields: dict[str, Any] = dict(
        attempt_key=f"{model}-{task}-{kw.get('solver', 'edit')}", run_id="r", task_id=f"t{task:02d}",
        task_hash=f"h{task:02d}", category=category, model=model, provider=model.split("/")[0],
        simulated=model.startswith("sim/"), solver="edit", solver_params={}, epoch=0,
        status="solved" if solved else "failed", solved=solved, score=1.0 if solved else 0.0,
        reason=None if solved else "tests_failed", error_message=None, turns=1,
        first_turn_solved=solved, input_tokens=1000, output_tokens=100, cached_input_tokens=0,
        cache_write_tokens=0, reasoning_tokens=0, cost_usd=0.01, provider_cost_usd=None,
        latency_s=1.5, grade_duration_s=2.0, timed_out=False, cached_responses=0,
        transcript=[], created_at=datetime(2026, 1, 1),
    )  # fmt: skip
    fields.update(kw)
    return AttemptRecord(**fields)
