"""The edit and repair solvers against a real sim server over HTTP (no Docker here)."""

from __future__ import annotations

import shutil
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from solver_testkit import FIXTURES, TASK, find_seed, reference_grader, sim_model

from routr_cli.errors import ConfigError, ProviderUnavailableError, SandboxUnavailable
from routr_cli.grading.model import Grade
from routr_cli.providers.base import ChatRequest, ChatResponse, Usage
from routr_cli.providers.sim import start_sim_server
from routr_cli.solvers import SOLVERS, SolveResult, get_solver
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import apply_change


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def run(
    solver: str, model: str, seed: int, http: httpx.Client, **params: object
) -> tuple[SolveResult, list[object]]:
    grader = reference_grader(TASK)
    with start_sim_server(FIXTURES, seed=seed, latency_scale=0.0) as server:
        resolved = sim_model(model, server.base_url, http)
        result = get_solver(solver, **params).solve(TASK, resolved, grader, epoch=0)
    return result, grader.seen  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["search-replace", "whole"])
def test_edit_solves_when_the_draw_succeeds(http: httpx.Client, fmt: str) -> None:
    seed = find_seed("sim/swift", TASK, (True,))
    result, graded = run("edit", "sim/swift", seed, http, edit_format=fmt)
    assert result.status == "solved" and result.first_turn_solved and result.turns == 1
    assert result.change == TASK.solution_change()
    assert len(graded) == 1 and result.grade is not None and result.grade.solved
    assert [m["role"] for m in result.transcript] == ["system", "user", "assistant"]
    assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
    assert result.transcript[2]["usage"]["output_tokens"] == result.usage.output_tokens
    assert result.latency_s > 0 and result.grade_duration_s >= 0
    assert "stats/core.py" in result.transcript[1]["content"]  # the repo is shown
    assert "test_median_even" not in result.transcript[1]["content"]  # the tests are not


def test_edit_fails_when_the_draw_fails(http: httpx.Client) -> None:
    seed = find_seed("sim/budget", TASK, (False,))
    result, _ = run("edit", "sim/budget", seed, http)
    assert result.status in ("failed", "malformed_edit", "unappliable_edit")
    assert not result.first_turn_solved and result.turns == 1
    assert result.error
    if result.status != "failed":
        assert result.grade is None and result.error.startswith(("edit ", "no edits"))


def test_repair_fixes_a_wrong_first_answer_on_the_second_turn(http: httpx.Client) -> None:
    seed = find_seed("sim/swift", TASK, (False, True))
    result, graded = run("repair", "sim/swift", seed, http)
    assert result.status == "solved", result.error
    assert result.turns == 2 and not result.first_turn_solved
    assert result.first_turn_status in ("failed", "malformed_edit", "unappliable_edit")
    assert apply_change(TASK.repo_files(), result.change) == apply_change(
        TASK.repo_files(), TASK.solution_change()
    )
    roles = [m["role"] for m in result.transcript]
    assert roles == ["system", "user", "assistant", "user", "assistant"]
    repair_prompt = result.transcript[3]["content"]
    if result.first_turn_status == "failed":
        assert "hidden tests do not pass" in repair_prompt and "test_median_even" in repair_prompt
        assert len(graded) == 2
    else:
        assert "could not be applied" in repair_prompt and "edit " in repair_prompt
        assert len(graded) == 1
    for hidden_line in TASK.test_files()["test_core.py"].splitlines():
        if len(hidden_line.strip()) > 12:
            assert hidden_line.strip() not in repair_prompt
    assert result.usage.input_tokens > result.transcript[2]["usage"]["input_tokens"]


def test_repair_stops_after_a_solved_first_turn(http: httpx.Client) -> None:
    seed = find_seed("sim/swift", TASK, (True,))
    result, graded = run("repair", "sim/swift", seed, http)
    assert result.status == "solved" and result.turns == 1 and result.first_turn_solved
    assert len(graded) == 1


def test_repair_gives_up_after_two_wrong_turns(http: httpx.Client) -> None:
    seed = find_seed("sim/budget", TASK, (False, False))
    result, _ = run("repair", "sim/budget", seed, http)
    assert result.status != "solved" and result.turns == 2 and not result.first_turn_solved


def test_unreachable_provider_is_a_provider_error_not_an_exception(http: httpx.Client) -> None:
    with start_sim_server(FIXTURES) as server:
        url = server.base_url
    resolved = sim_model("sim/swift", url, http)  # the server is closed now
    result = get_solver("repair").solve(TASK, resolved, reference_grader(TASK))
    assert result.status == "provider_error" and "ProviderUnavailableError" in result.error
    assert result.turns == 1 and result.grade is None


def test_a_hung_provider_times_out_into_a_provider_error(http: httpx.Client) -> None:
    """A server that accepts the connection and never answers: the attempt ends as a
    recorded provider error within the read limit and the call deadline, never a hang."""
    import os
    import socket
    import time

    from routr_cli.providers.http_provider import Timeouts
    from routr_cli.providers.registry import resolve_model
    from routr_cli.providers.retry import RetryPolicy

    with socket.socket() as listener:  # the kernel completes the handshake; nobody reads
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        os.environ["ROUTR_SIM_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
        try:
            resolved = resolve_model(
                "sim/swift",
                http,
                timeouts=Timeouts(read_s=0.3, complete_read_s=0.3),
                retry=RetryPolicy(max_attempts=2, base_delay_s=0.01, deadline_s=2.0),
            )
        finally:
            del os.environ["ROUTR_SIM_BASE_URL"]
        started = time.monotonic()
        result = get_solver("repair").solve(TASK, resolved, reference_grader(TASK))
        elapsed = time.monotonic() - started
    assert result.status == "provider_error" and "ProviderTimeoutError" in result.error
    assert (
        result.turns == 1
        and result.grade is None
        and result.first_turn_status == ("provider_error")
    )
    assert 0.5 <= elapsed < 2.5  # two attempts of 0.3 s each, bounded by the 2 s deadline


def test_a_broken_sandbox_is_a_sandbox_error(http: httpx.Client) -> None:
    seed = find_seed("sim/swift", TASK, (True,))

    def grader(change: object) -> object:
        raise SandboxUnavailable("docker is not running: start dockerd")

    with start_sim_server(FIXTURES, seed=seed, latency_scale=0.0) as server:
        result = get_solver("repair").solve(
            TASK, sim_model("sim/swift", server.base_url, http), grader
        )  # type: ignore[arg-type]
    assert result.status == "sandbox_error" and "docker is not running" in result.error
    assert result.turns == 1  # no repair turn for an infrastructure failure


@dataclass
class RecordingProvider:
    """A stand-in for a paid API (cannot be called here): records what it is sent."""

    name: str = "openai"
    requests: list[ChatRequest] = field(default_factory=list)
    costs: tuple[float | None, ...] = (0.001, 0.001)  # what the vendor reports, per turn

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        cost = self.costs[len(self.requests) - 1]
        return ChatResponse(
            text="I would rather not.", usage=Usage(10, 5), latency_s=0.25, provider_cost_usd=cost
        )

    def stream(self, request: ChatRequest) -> Generator[str, None, ChatResponse]:
        raise NotImplementedError
        yield ""


@dataclass
class RealModel:
    provider: RecordingProvider
    model_id: str = "gpt-test"
    name: str = "openai/gpt-test"
    context_window: int = 1_050


@pytest.mark.parametrize("costs", [(0.001, None), (None, 0.001)])
def test_a_vendor_cost_missing_for_one_turn_is_unknown_not_half_the_bill(
    costs: tuple[float | None, ...],
) -> None:
    model = RealModel(RecordingProvider(costs=costs))
    result = get_solver("repair").solve(TASK, model, reference_grader(TASK))
    assert result.turns == 2 and result.provider_cost_usd is None


def test_real_models_never_receive_routr_metadata_and_small_windows_trim_the_repo() -> None:
    model = RealModel(RecordingProvider())
    result = get_solver("repair", answer_tokens=256).solve(TASK, model, reference_grader(TASK))
    assert result.status == "malformed_edit" and result.turns == 2
    assert result.provider_cost_usd == pytest.approx(0.002)
    assert result.latency_s == pytest.approx(0.5)
    assert all(r.extra == {} for r in model.provider.requests)
    assert all(r.model == "gpt-test" and r.max_tokens == 256 for r in model.provider.requests)
    first_user = model.provider.requests[0].messages[1].content
    system = model.provider.requests[0].messages[0].content
    assert (len(system) + len(first_user)) / 4 + 256 <= 1_050
    assert "were left out to fit the context window" in first_user
    assert "- stats/core.py\n" in first_user  # too big for what is left, listed by path
    assert "FILE: stats/legacy.py" not in first_user and "stats/legacy.py\n```python" in first_user


def test_get_solver_names_and_errors() -> None:
    assert set(SOLVERS) == {"edit", "repair"}
    assert get_solver("edit").name == "edit" and get_solver("repair").name == "repair"
    with pytest.raises(ConfigError, match="did you mean 'repair'"):
        get_solver("repiar")
    with pytest.raises(ConfigError, match="bad parameters for solver 'edit'"):
        get_solver("edit", nonsense=1)
    with pytest.raises(ConfigError, match="unknown edit format 'diff'"):
        get_solver("edit", edit_format="diff")


@dataclass
class FailsOnSecondCall(RecordingProvider):
    """A paid-API stand-in whose second call fails the way an exhausted retry loop does."""

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        if len(self.requests) > 1:
            raise ProviderUnavailableError("openai: HTTP 503 after 4 attempts", status=503)
        partial = (
            "stats/core.py\n<<<<<<< SEARCH\n    return ordered[middle]\n=======\n"
            "    if len(ordered) % 2 == 0:\n"
            "        return (ordered[middle - 1] + ordered[middle]) / 2\n"
            "    return ordered[middle]\n>>>>>>> REPLACE\n"
        )
        return ChatResponse(text=partial, usage=Usage(100, 40), latency_s=0.1)


def test_a_provider_failure_on_the_repair_turn_keeps_the_first_change_and_grade() -> None:
    model = RealModel(FailsOnSecondCall(), context_window=128_000)
    result = get_solver("repair").solve(TASK, model, reference_grader(TASK))
    assert result.status == "provider_error" and "HTTP 503" in result.error
    assert result.first_turn_status == "failed" and not result.first_turn_solved
    assert result.turns == 2 and list(result.change) == ["stats/core.py"]
    assert result.grade is not None and not result.grade.solved
    assert result.usage == Usage(100, 40)


def test_a_big_repository_is_trimmed_to_the_catalog_window_of_the_model(
    http: httpx.Client, tmp_path: Path
) -> None:
    shutil.copytree(FIXTURES / TASK.id, tmp_path / TASK.id)
    for n in range(12):  # ~12 x 16k tokens: far beyond sim/budget's 32k window
        (tmp_path / TASK.id / "repo" / "data" / f"table_{n:02d}.py").parent.mkdir(exist_ok=True)
        (tmp_path / TASK.id / "repo" / "data" / f"table_{n:02d}.py").write_text(
            f"ROWS_{n} = [\n" + "    (1, 2, 3),\n" * 4_000 + "]\n"
        )
    task = load_task(tmp_path / TASK.id)
    with start_sim_server(tmp_path, seed=0, latency_scale=0.0) as server:
        resolved = sim_model("sim/budget", server.base_url, http)
        assert not hasattr(resolved, "context_window")  # the window comes from the catalog
        result = get_solver("edit").solve(task, resolved, reference_grader(task))
    assert result.status != "provider_error", result.error
    assert result.usage.input_tokens <= 32_000
    user = result.transcript[1]["content"]
    assert "were left out to fit the context window" in user
    assert "stats/core.py\n```python" in user  # small files still shown in full


@dataclass
class AnswersWithReference(RecordingProvider):
    """A paid-API stand-in that always answers with the task's reference change."""

    def complete(self, request: ChatRequest) -> ChatResponse:
        from routr_cli.solvers.edit_render import render_change

        self.requests.append(request)
        repo = TASK.repo_files()
        text = render_change(repo, apply_change(repo, TASK.solution_change()), "search-replace")
        return ChatResponse(text=text, usage=Usage(50, 50), latency_s=0.1)


def test_a_change_the_grader_refuses_gets_a_repair_turn_from_the_original_files() -> None:
    calls: list[object] = []
    solved_grader = reference_grader(TASK)

    def grader(change: dict[str, str | None]) -> Grade:
        calls.append(change)
        if len(calls) == 1:
            return Grade(
                solved=False,
                score=0.0,
                reason="unappliable",
                output="the change cannot be applied: 'x' is a file",
            )
        return solved_grader(change)  # type: ignore[no-any-return]

    model = RealModel(AnswersWithReference(), context_window=128_000)
    result = get_solver("repair").solve(TASK, model, grader)
    assert result.first_turn_status == "unappliable_edit" and result.status == "solved"
    repair_prompt = result.transcript[3]["content"]
    assert "could not be applied" in repair_prompt and "'x' is a file" in repair_prompt


def test_an_answer_cut_at_max_tokens_says_so(http: httpx.Client) -> None:
    seed = find_seed("sim/swift", TASK, (True,))
    result, _ = run("edit", "sim/swift", seed, http, answer_tokens=40)
    assert result.status == "malformed_edit"
    assert result.error.endswith("(the answer was cut off at the max_tokens limit)")
    assert result.transcript[2]["finish_reason"] == "length"
