"""Shared pieces for the solver tests: the fixture task, seeds chosen by the sim's own draw,
and a resolved sim model talking to a real sim server over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx

from routr_cli.grading.model import Grade
from routr_cli.providers.registry import ResolvedModel, resolve_model
from routr_cli.providers.retry import RetryPolicy
from routr_cli.providers.sim import get_sim_model
from routr_cli.providers.sim.answers import uniform
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import Change, Task, apply_change

FIXTURES = Path(__file__).parents[1] / "fixtures" / "solver_tasks"
TASK = load_task(FIXTURES / "py-stats-median")
FAST_RETRY = RetryPolicy(max_attempts=10, base_delay_s=0.01, max_delay_s=0.05)


def draw_succeeds(seed: int, model: str, task: Task, epoch: int, turn: int) -> bool:
    """The sim's success draw, as documented in ``providers/sim/engine.py``."""
    sim = get_sim_model(model)
    u = uniform(seed, sim.name, task.content_hash, epoch, turn, "solve")
    return u < sim.success_probability(task.category, task.difficulty, turn)


def find_seed(model: str, task: Task, outcomes: tuple[bool, ...], epoch: int = 0) -> int:
    """The first seed whose draws for turns 1.. give ``outcomes``."""
    for seed in range(10_000):
        if all(
            draw_succeeds(seed, model, task, epoch, turn) == want
            for turn, want in enumerate(outcomes, start=1)
        ):
            return seed
    raise AssertionError(f"no seed gives {outcomes}")


def sim_model(name: str, base_url: str, client: httpx.Client) -> ResolvedModel:
    """``name`` resolved through the provider registry, pointed at ``base_url``."""
    import os

    os.environ["ROUTR_SIM_BASE_URL"] = base_url
    try:
        return resolve_model(name, client, retry=FAST_RETRY)
    finally:
        del os.environ["ROUTR_SIM_BASE_URL"]


def reference_grader(task: Task):  # type: ignore[no-untyped-def]
    """A grader for control-flow tests with no Docker: solved iff the change reproduces
    the reference state exactly (the Docker tests grade with the hidden tests)."""
    repo = task.repo_files()
    target = apply_change(repo, task.solution_change())
    seen: list[Change] = []

    def grade(change: Change) -> Grade:
        seen.append(change)
        solved = apply_change(repo, change) == target
        output = "" if solved else "FAILED tests/test_core.py::test_median_even - assert 3 == 2.5\n"
        return Grade(
            solved=solved,
            score=1.0 if solved else 0.5,
            reason=None if solved else "tests_failed",
            exit_code=0 if solved else 1,
            output=output,
        )

    grade.seen = seen  # type: ignore[attr-defined]
    return grade
