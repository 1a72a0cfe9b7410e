"""End to end: solver + sim server over HTTP + grading with the hidden tests in Docker."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from solver_testkit import FIXTURES, TASK, draw_succeeds, find_seed, sim_model

from routr_cli.grading import grade_change
from routr_cli.providers.sim import start_sim_server
from routr_cli.sandbox.docker_backend import DockerBackend
from routr_cli.solvers import SolveResult, get_solver
from routr_cli.tasks.model import Change

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def backend() -> DockerBackend:
    return DockerBackend()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def solve(
    solver: str, model: str, seed: int, backend: DockerBackend, http: httpx.Client
) -> SolveResult:
    def grader(change: Change):  # type: ignore[no-untyped-def]
        return grade_change(TASK, change, backend)

    with start_sim_server(FIXTURES, seed=seed, latency_scale=0.0) as server:
        return get_solver(solver).solve(TASK, sim_model(model, server.base_url, http), grader)


def test_edit_solved_when_the_draw_succeeds(backend: DockerBackend, http: httpx.Client) -> None:
    result = solve("edit", "sim/swift", find_seed("sim/swift", TASK, (True,)), backend, http)
    assert result.status == "solved", result.error
    assert result.grade is not None and result.grade.solved and result.grade.score == 1.0
    assert {t.outcome for t in result.grade.tests} == {"passed"}
    assert result.grade_duration_s > 0


def test_edit_fails_when_the_draw_fails(backend: DockerBackend, http: httpx.Client) -> None:
    # sim/frontier's mistakes are mostly partial fixes: pick a seed whose wrong answer
    # applies, so the hidden tests (not the parser) reject it.
    for seed in range(200):
        if draw_succeeds(seed, "sim/frontier", TASK, 0, 1):
            continue
        result = solve("edit", "sim/frontier", seed, backend, http)
        if result.status == "solved":
            raise AssertionError(f"seed {seed}: a failed draw was solved")
        if result.grade is not None:
            assert result.status == "failed"
            assert not result.grade.solved and result.grade.reason == "tests_failed"
            assert any(t.outcome == "failed" for t in result.grade.tests)
            return
    raise AssertionError("no failed draw with an applicable answer in 200 seeds")


def test_repair_turn_sees_real_test_output_without_the_tests(
    backend: DockerBackend, http: httpx.Client
) -> None:
    for seed in range(500):
        if draw_succeeds(seed, "sim/frontier", TASK, 0, 1):
            continue
        result = solve("repair", "sim/frontier", seed, backend, http)
        if result.first_turn_status != "failed":
            continue
        repair_prompt = result.transcript[3]["content"]
        assert "hidden tests do not pass" in repair_prompt
        assert "Failing tests:" in repair_prompt
        for line in TASK.test_files()["test_core.py"].splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in repair_prompt, line
        assert result.turns == 2
        return
    raise AssertionError("no graded failing first turn in 500 seeds")
