"""A real results database for the site's CLI and browser tests, written through the store.

Attempts of four simulated models on sixteen bundled tasks (two per category), two
epochs each, with outcomes drawn from a seeded generator: the shape of the demo's
database without a bench run in Docker. Task snapshots carry the real tasks' content
hashes, so the build shows their real prompts.
"""

from __future__ import annotations

import random
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from routr_cli_runner import ROUTR

from routr_cli.paths import PROJECT_ROOT
from routr_cli.store import AttemptRecord, RunRecord, Store, TaskSnapshot
from routr_cli.store.write import begin_run, finish_run, record_attempt, save_snapshots
from routr_cli.tasks.load import load_tasks_lenient

MODELS = {  # name -> (skill, USD per attempt, seconds per attempt)
    "sim/frontier": (0.85, 0.04, 12.0),
    "sim/swift": (0.6, 0.01, 3.0),
    "sim/budget": (0.45, 0.002, 6.0),
    "sim/flaky": (0.55, 0.008, 5.0),
}
START = datetime(2026, 11, 30, 9, 0, 0)


def bundled_sample(per_category: int = 2) -> list[Any]:
    tasks, _ = load_tasks_lenient(PROJECT_ROOT / "tasks")
    chosen: dict[str, list[Any]] = {}
    for task in sorted(tasks, key=lambda t: t.id):
        chosen.setdefault(task.category, [])
        if len(chosen[task.category]) < per_category:
            chosen[task.category].append(task)
    return [t for group in chosen.values() for t in group]


def make_db(
    path: Path, *, seed: int = 5, models: dict[str, tuple[float, float, float]] | None = None
) -> Path:
    """Write the database at ``path`` and return it."""
    models = models or MODELS
    rng = random.Random(seed)
    tasks = bundled_sample()
    with Store.open(path) as store:
        begin_run(
            store,
            RunRecord("run-site", START, ["routr", "bench"], "0.1.0", {"models": sorted(models)}),
        )
        save_snapshots(
            store,
            [
                TaskSnapshot(
                    t.content_hash, t.id, t.title, t.category, t.language, t.difficulty, 3, 120
                )
                for t in tasks
            ],
        )
        clock = START
        for task in tasks:
            for model, (skill, cost, latency) in sorted(models.items()):
                for epoch in range(2):
                    clock += timedelta(seconds=7)
                    solved = rng.random() < skill
                    status = "solved" if solved else rng.choice(["tests_failed", "malformed_edit"])
                    record_attempt(
                        store,
                        AttemptRecord(
                            attempt_key=f"{task.id}-{model}-{epoch}",
                            run_id="run-site",
                            task_id=task.id,
                            task_hash=task.content_hash,
                            category=task.category,
                            model=model,
                            provider=model.split("/")[0],
                            simulated=model.startswith("sim/"),
                            solver="edit",
                            solver_params={"max_turns": 1},
                            epoch=epoch,
                            status=status,
                            solved=solved,
                            score=1.0 if solved else 0.0,
                            reason=None if solved else status,
                            error_message=None,
                            turns=1,
                            first_turn_solved=solved,
                            input_tokens=4000,
                            output_tokens=600,
                            cached_input_tokens=0,
                            cache_write_tokens=0,
                            reasoning_tokens=0,
                            cost_usd=cost,
                            provider_cost_usd=None,
                            latency_s=latency * (0.5 + rng.random()),
                            grade_duration_s=2.0,
                            timed_out=False,
                            cached_responses=0,
                            transcript=[],
                            created_at=clock,
                        ),
                    )
        finish_run(store, "run-site", "completed")
    return path


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """`routr site serve --port 0` on ``site``; yields its base URL, stops it after."""
    server = subprocess.Popen(
        [str(ROUTR), "site", "serve", "--dir", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith(f"serving {site} at http://127.0.0.1:"), line
        yield line.split(" at ")[1].split()[0]
    finally:
        server.terminate()
        server.wait(timeout=10)
