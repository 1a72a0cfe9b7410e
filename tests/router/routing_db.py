"""A small results database with known standings, written through the real store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from routr_cli.store import AttemptRecord, RunRecord, Store, TaskSnapshot
from routr_cli.store.write import begin_run, record_attempt, save_snapshots

# Per model and category: the share of tasks solved (deterministic, not drawn).
SKILLS = {
    "sim/frontier": {"concurrency": 0.95, "data-processing": 0.9},
    "sim/swift": {"concurrency": 0.35, "data-processing": 0.9},
    "sim/budget": {"concurrency": 0.1, "data-processing": 0.3},
}
COST = {"sim/frontier": 0.05, "sim/swift": 0.01, "sim/budget": 0.001}
TASKS_PER_CATEGORY = 20


def write_bench_db(path: Path, skills: dict[str, dict[str, float]] = SKILLS) -> Path:
    rng = np.random.default_rng(0)
    with Store.open(path) as store:
        begin_run(store, RunRecord("run-1", datetime(2026, 1, 1), ["routr"], "test", {}))
        snapshots = []
        for category in ("concurrency", "data-processing"):
            for t in range(TASKS_PER_CATEGORY):
                task_id = f"{category}-{t:02d}"
                snapshots.append(
                    TaskSnapshot(
                        f"h-{task_id}", task_id, task_id, category, "python", "medium", 3, 90
                    )
                )
        save_snapshots(store, snapshots)
        for model, table in skills.items():
            # exactly share * N tasks of each category solved; which ones is seeded
            orders = {c: rng.permutation(TASKS_PER_CATEGORY) for c in table}
            for snap in snapshots:
                t = int(snap.task_id[-2:])
                solved = bool(
                    orders[snap.category][t] < round(table[snap.category] * TASKS_PER_CATEGORY)
                )
                record_attempt(
                    store,
                    AttemptRecord(
                        attempt_key=f"{model}-{snap.task_id}", run_id="run-1",
                        task_id=snap.task_id, task_hash=snap.task_hash, category=snap.category,
                        model=model, provider="sim", simulated=True, solver="edit",
                        solver_params={}, epoch=0, status="solved" if solved else "failed",
                        solved=solved, score=float(solved),
                        reason=None if solved else "tests_failed", error_message=None,
                        turns=1, first_turn_solved=solved, input_tokens=1000,
                        output_tokens=200, cached_input_tokens=0, cache_write_tokens=0,
                        reasoning_tokens=0, cost_usd=COST[model], provider_cost_usd=None,
                        latency_s=1.0 if model != "sim/frontier" else 4.0,
                        grade_duration_s=1.0, timed_out=False, cached_responses=0,
                        transcript=[], created_at=datetime(2026, 1, 1, 12),
                    ),
                )  # fmt: skip
    return path
