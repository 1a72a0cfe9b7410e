"""A results database with made-up standings for two simulated models, written through the
store's own writer (no Docker): sim/frontier clearly best at concurrency, sim/swift
clearly best at data-processing, so routing by category shows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from routr_cli.store import Store
from routr_cli.store.records import AttemptRecord, RunRecord, TaskSnapshot
from routr_cli.store.write import begin_run, finish_run, record_attempt, save_snapshots

TASKS_PER_CATEGORY = 12
SKILL = {  # (model, category) -> tasks solved out of TASKS_PER_CATEGORY
    ("sim/frontier", "concurrency"): 12,
    ("sim/frontier", "data-processing"): 1,
    ("sim/swift", "concurrency"): 1,
    ("sim/swift", "data-processing"): 12,
}


def write_sim_standings(db: Path) -> None:
    with Store.open(db) as store:
        begin_run(store, RunRecord("run-sim", datetime(2026, 11, 1), ["routr"], "test", {}))
        snapshots = [
            TaskSnapshot(
                f"{category[:4]}{i:060d}", f"{category}-{i}", "t", category, "go", "easy", 3, 60
            )
            for category in ("concurrency", "data-processing")
            for i in range(TASKS_PER_CATEGORY)
        ]
        save_snapshots(store, snapshots)
        for (model, category), solved in SKILL.items():
            for i in range(TASKS_PER_CATEGORY):
                ok = i < solved
                record_attempt(
                    store,
                    AttemptRecord(
                        attempt_key=f"{model}-{category}-{i}", run_id="run-sim",
                        task_id=f"{category}-{i}", task_hash=f"{category[:4]}{i:060d}",
                        category=category, model=model, provider="sim", simulated=True,
                        solver="edit", solver_params={"max_turns": 1}, epoch=0,
                        status="solved" if ok else "failed", solved=ok, score=1.0 if ok else 0.0,
                        reason=None if ok else "tests_failed", error_message=None, turns=1,
                        first_turn_solved=ok, input_tokens=1000, output_tokens=200,
                        cached_input_tokens=0, cache_write_tokens=0, reasoning_tokens=0,
                        cost_usd=0.01, provider_cost_usd=None, latency_s=1.0,
                        grade_duration_s=1.0, timed_out=False, cached_responses=0,
                        transcript=[], created_at=datetime(2026, 11, 1, 12, 0, 0), tests=(),
                        new_cache_entries=(),
                    ),
                )  # fmt: skip
        finish_run(store, "run-sim", "finished")
