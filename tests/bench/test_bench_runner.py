"""The runner's own logic (scheduling, single writer, resume, budget, cache, stopping)
on fakes of the Provider and Solver protocols; the real pipeline is in the e2e tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from routr_cli.bench.cache import ResponseCache
from routr_cli.bench.keys import plan_work
from routr_cli.bench.runner import BenchRunner, RunTotals
from routr_cli.errors import ProviderUnavailableError, SandboxUnavailable
from routr_cli.grading.model import Grade
from routr_cli.grading.model import TestOutcome as GradedTest
from routr_cli.providers.base import ChatRequest, ChatResponse, Message, Usage
from routr_cli.solvers.base import Grader, ResolvedModelLike, SolveResult
from routr_cli.store import Store
from routr_cli.store.batch import DirectWriter
from routr_cli.store.read import cached_responses, table_counts
from routr_cli.store.records import AttemptRecord
from routr_cli.tasks.load import load_tasks
from routr_cli.tasks.model import Change, Task

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks"


class FakeProvider:
    """Answers every request; ``fail`` makes every call raise like a dead vendor."""

    name = "fake"

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail
        self._lock = threading.Lock()

    def complete(self, request: ChatRequest) -> ChatResponse:
        with self._lock:
            self.calls += 1
        if self.fail:
            raise ProviderUnavailableError("fake: 500 after retries", status=500)
        return ChatResponse(text="answer", usage=Usage(1000, 100), latency_s=0.01)

    def stream(self, request: ChatRequest) -> Generator[str, None, ChatResponse]:
        yield "answer"
        return self.complete(request)


@dataclass
class FakeModel:
    name: str
    provider: FakeProvider
    model_id: str = "x"


class FakeSolver:
    """One model call, then one grading, like the edit solver; failures become statuses."""

    name = "fake"

    def solve(
        self, task: Task, model: ResolvedModelLike, grader: Grader, *, epoch: int = 0
    ) -> SolveResult:
        request = ChatRequest(model=model.model_id, messages=(Message("user", task.id),))
        try:
            response = model.provider.complete(request)
        except Exception as exc:
            return SolveResult(status="provider_error", error=str(exc), turns=1)
        try:
            grade = grader({})
        except Exception as exc:
            return SolveResult(
                status="sandbox_error", error=str(exc), turns=1, usage=response.usage
            )
        return SolveResult(
            status="solved" if grade.solved else "failed",
            grade=grade,
            turns=1,
            usage=response.usage,
            latency_s=response.latency_s,
            grade_duration_s=grade.duration_s,
            transcript=[{"role": "assistant", "content": response.text}],
        )


@dataclass
class Recorder:
    records: list[AttemptRecord] = field(default_factory=list)

    def attempt_done(self, record: AttemptRecord, totals: RunTotals) -> None:
        self.records.append(record)

    def note(self, message: str) -> None:
        pass


def _grade(task: Task, change: Change) -> Grade:
    solved = task.id.endswith("median")
    return Grade(
        solved=solved,
        score=1.0 if solved else 0.5,
        tests=(GradedTest("t::x", "passed", 0.01), GradedTest("t::y", "failed", 0.02)),
        duration_s=0.01,
        reason=None if solved else "tests_failed",
    )


def _runner(store: Store, models: dict[str, FakeModel], **kwargs: Any) -> BenchRunner:
    params: dict[str, Any] = dict(
        writer=DirectWriter(store),
        run_id="run-1",
        models=models,
        provider_names={n: "fake" for n in models},
        solver=FakeSolver(),
        solver_params={},
        grade=_grade,
        cost=lambda model, usage: usage.input_tokens * 1e-6 + usage.output_tokens * 1e-5,
        cache=ResponseCache(cached_responses(store, models)),
        progress=Recorder(),
        jobs=3,
    )
    params.update(kwargs)
    return BenchRunner(**params)


@pytest.fixture
def tasks() -> list[Task]:
    return load_tasks(FIXTURES)


def test_every_attempt_is_recorded_once(tmp_path: Path, tasks: list[Task]) -> None:
    models = {"m/a": FakeModel("m/a", FakeProvider()), "m/b": FakeModel("m/b", FakeProvider())}
    work = plan_work(tasks, list(models), 3, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        outcome = _runner(store, models).run(work)
        assert outcome.stop_reason == "completed"
        assert outcome.recorded == len(work) == table_counts(store)["attempts"]
        rows = store.con.execute(
            "SELECT status, solved, input_tokens, cost_usd, cached_responses FROM attempts"
        ).fetchall()
        assert {r[0] for r in rows} == {"solved", "failed"}
        assert all(r[2] == 1000 and r[3] == pytest.approx(0.002) and r[4] == 0 for r in rows)
        assert table_counts(store)["attempt_tests"] == 2 * len(work)
        # The totals the progress line shows match what was written.
        assert outcome.totals.spend_usd == pytest.approx(0.002 * len(work))
        assert outcome.totals.solved == sum(1 for r in rows if r[1])


def test_replayed_responses_record_the_original_cost_and_are_not_paid_again(
    tmp_path: Path, tasks: list[Task]
) -> None:
    provider = FakeProvider()
    models = {"m/a": FakeModel("m/a", provider)}
    work = plan_work(tasks, ["m/a"], 1, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        _runner(store, models).run(work)
        assert provider.calls == len(work)
        store.con.execute("DELETE FROM attempt_tests")
        store.con.execute("DELETE FROM attempts")  # as if re-grading the same answers
        outcome = _runner(store, models).run(work)
        assert provider.calls == len(work)  # nothing new was asked
        assert outcome.totals.spend_usd == 0.0
        rows = store.con.execute("SELECT cost_usd, cached_responses FROM attempts").fetchall()
        assert rows and all(c == pytest.approx(0.002) and n == 1 for c, n in rows)
        # --no-cache: asked again (and paid)
        store.con.execute("DELETE FROM attempt_tests")
        store.con.execute("DELETE FROM attempts")
        _runner(store, models, cache=ResponseCache({}, read=False)).run(work)
        assert provider.calls == 2 * len(work)


def test_max_cost_stops_scheduling(tmp_path: Path, tasks: list[Task]) -> None:
    models = {"m/a": FakeModel("m/a", FakeProvider())}
    work = plan_work(tasks, ["m/a"], 10, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        outcome = _runner(store, models, jobs=1, max_cost_usd=0.005).run(work)
        assert outcome.stop_reason == "budget"
        assert outcome.recorded == 3  # 0.002 per attempt: stops once 0.006 >= 0.005
        assert "--max-cost" in outcome.message
        assert table_counts(store)["attempts"] == 3


def test_max_cost_reserves_estimates_so_parallel_attempts_never_overshoot(
    tmp_path: Path, tasks: list[Task]
) -> None:
    models = {"m/a": FakeModel("m/a", FakeProvider())}
    work = plan_work(tasks, ["m/a"], 10, "fake", {})
    # Control: with nothing reserved, 4 attempts start at once and overshoot the limit.
    with Store.open(tmp_path / "control.duckdb") as store:
        blind = _runner(store, models, jobs=4, max_cost_usd=0.005).run(work)
    assert blind.totals.spend_usd > 0.005
    # Each attempt reserves its estimate (0.002, its real cost) while in flight.
    with Store.open(tmp_path / "r.duckdb") as store:
        outcome = _runner(
            store, models, jobs=4, max_cost_usd=0.005, estimate=lambda _item: 0.002
        ).run(work)
    assert outcome.stop_reason == "budget"
    assert outcome.recorded == 2  # 0.002 + 0.002 reserved; a third would make 0.006
    assert outcome.totals.spend_usd == pytest.approx(0.004)
    assert "reserved for attempts in flight" in outcome.message
    assert "18 attempts not started" in outcome.message


def test_provider_errors_are_recorded_and_the_run_goes_on(
    tmp_path: Path, tasks: list[Task]
) -> None:
    models = {
        "m/ok": FakeModel("m/ok", FakeProvider()),
        "m/down": FakeModel("m/down", FakeProvider(fail=True)),
    }
    work = plan_work(tasks, list(models), 1, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        outcome = _runner(store, models).run(work)
        assert outcome.stop_reason == "completed"
        rows = dict(
            store.con.execute(
                "SELECT model, list(DISTINCT status) FROM attempts GROUP BY model"
            ).fetchall()
        )
        assert rows["m/down"] == ["provider_error"]
        assert "provider_error" not in rows["m/ok"]
        assert outcome.totals.errors == len(tasks)


def test_a_sandbox_failure_stops_the_run_and_is_not_recorded(
    tmp_path: Path, tasks: list[Task]
) -> None:
    calls = 0

    def broken(task: Task, change: Change) -> Grade:
        nonlocal calls
        calls += 1
        if calls >= 2:
            raise SandboxUnavailable("Docker engine is not running: start it")
        return _grade(task, change)

    models = {"m/a": FakeModel("m/a", FakeProvider())}
    work = plan_work(tasks, ["m/a"], 5, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        with pytest.raises(SandboxUnavailable, match="Docker engine is not running") as info:
            _runner(store, models, grade=broken, jobs=1).run(work)
        assert "resume with the same command" in str(info.value)
        assert table_counts(store)["attempts"] == 1
        statuses = store.con.execute("SELECT DISTINCT status FROM attempts").fetchall()
        assert ("sandbox_error",) not in statuses


def test_gradings_never_exceed_the_slots(tmp_path: Path, tasks: list[Task]) -> None:
    active = 0
    peak = 0
    lock = threading.Lock()

    def slow(task: Task, change: Change) -> Grade:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return _grade(task, change)

    models = {"m/a": FakeModel("m/a", FakeProvider())}
    work = plan_work(tasks, ["m/a"], 6, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        _runner(store, models, grade=slow, jobs=6, grading_slots=2).run(work)
        assert table_counts(store)["attempts"] == len(work)
    assert peak == 2


def test_a_worker_bug_outside_the_solver_fails_the_run_instead_of_hanging_it(
    tmp_path: Path, tasks: list[Task]
) -> None:
    class Nameless:  # breaks while the worker wraps it, before the solver is called
        def __getattr__(self, attribute: str) -> Any:
            raise AttributeError(f"broken provider has no {attribute}")

    models = {"m/a": FakeModel("m/a", Nameless())}  # type: ignore[arg-type]
    work = plan_work(tasks, ["m/a"], 1, "fake", {})
    errors: list[BaseException] = []

    def run() -> None:
        with Store.open(tmp_path / "r.duckdb") as store:
            try:
                _runner(store, models, jobs=1).run(work)
            except BaseException as exc:
                errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the run hung waiting for a worker that had died"
    assert len(errors) == 1 and "broken provider has no name" in str(errors[0])


def test_after_a_solver_bug_attempts_in_flight_stop_at_their_next_checkpoint(
    tmp_path: Path, tasks: list[Task]
) -> None:
    buggy, blocked = sorted(t.id for t in tasks)
    release = threading.Event()
    graded: list[str] = []

    class GatedProvider(FakeProvider):
        def complete(self, request: ChatRequest) -> ChatResponse:
            if request.messages[0].content == blocked:
                release.wait(timeout=10)  # a slow model call, in flight when the bug hits
            return super().complete(request)

    class BuggySolver(FakeSolver):
        def solve(
            self, task: Task, model: ResolvedModelLike, grader: Grader, *, epoch: int = 0
        ) -> SolveResult:
            if task.id == buggy:
                time.sleep(0.1)  # let the other worker enter its model call first
                raise RuntimeError("solver bug")
            return super().solve(task, model, grader, epoch=epoch)

    def grade(task: Task, change: Change) -> Grade:
        graded.append(task.id)
        return _grade(task, change)

    models = {"m/a": FakeModel("m/a", GatedProvider())}
    work = plan_work(tasks, ["m/a"], 1, "fake", {})
    with Store.open(tmp_path / "r.duckdb") as store:
        runner = _runner(store, models, solver=BuggySolver(), grade=grade, jobs=2)
        with pytest.raises(RuntimeError, match="solver bug"):
            runner.run(work)
        release.set()  # the slow call returns after the run has failed
        time.sleep(0.5)
    assert graded == []  # the orphaned attempt did not go on to grade (and pay) for nothing
