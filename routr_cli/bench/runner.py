"""The bench loop: a pool of workers attempts tasks, the main thread records results.

Workers run whole attempts (model calls through the solver, gradings through a
semaphore capped at the CPU count, since sandboxes are CPU-bound and model calls are
not). Each finished attempt goes on a queue; the main thread -- the store's only writer
-- hands it to the writer, which commits a batch every second or so and holds the
database file only meanwhile (``store.batch``: readers can watch the run). A killed
process loses at most what was in flight and the last second's batch; the attempt key
(the primary key, skipped on resume) rules out duplicates.

Stopping: ``--max-cost`` stops scheduling when this run's paid spend, plus the estimates
reserved for attempts in flight, plus the next attempt's estimate would pass it. Ctrl-C
sets a flag every worker checks before its next model call or grading, records what
had finished, removes this run's containers (``on_cancel``) and raises
``BenchInterrupted`` without waiting for calls in flight: the workers are daemon
threads, so the process exits at once. A sandbox failure (``sandbox_error``) is the
infrastructure, not the model: it is not recorded and stops the run with one line.

Provider failures: the first of each kind per model is shown with its message; a
configuration failure (bad key, unknown model, unreachable host) stops that model's
attempts unrecorded and is reported in ``RunOutcome.configuration_failure``
(``bench.failures``).
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from routr_cli.bench.cache import ResponseCache
from routr_cli.bench.failures import FailureWatch
from routr_cli.bench.keys import WorkItem
from routr_cli.bench.records import build_attempt
from routr_cli.bench.workers import Finished, GradeFn, ModelHandle, Workers
from routr_cli.errors import RoutrError, SandboxUnavailable, StoreError
from routr_cli.providers.base import Usage
from routr_cli.solvers.base import Solver
from routr_cli.store.batch import AttemptWriter
from routr_cli.store.records import AttemptRecord
from routr_cli.text import plural

StopReason = Literal["completed", "budget", "interrupted", "sandbox"]
CostFn = Callable[[str, Usage], float | None]


class BenchInterrupted(RoutrError):
    """Ctrl-C: finished attempts are kept; the same command resumes."""

    exit_code = 130


@dataclass
class RunTotals:
    """What progress shows: counts, pass rate and paid spend of this run so far."""

    total: int
    started_at: float = field(default_factory=time.monotonic)
    done: int = 0
    solved: int = 0
    errors: int = 0
    spend_usd: float = 0.0
    # Routr's own time per recorded attempt: worker wall time minus model and sandbox
    # time, plus the store write (what benchmarks/bench_throughput.py reports).
    own_time_s: list[float] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.solved / self.done if self.done else None

    def eta_s(self) -> float | None:
        if not self.done:
            return None
        elapsed = time.monotonic() - self.started_at
        return elapsed / self.done * (self.total - self.done)


class ProgressSink(Protocol):
    def attempt_done(self, record: AttemptRecord, totals: RunTotals) -> None: ...

    def note(self, message: str) -> None: ...


@dataclass(frozen=True)
class RunOutcome:
    stop_reason: StopReason
    recorded: int
    totals: RunTotals
    message: str = ""
    # Models stopped by a configuration failure (bad key, unknown model, unreachable
    # host): the message naming the fix; the CLI exits 5 with it.
    configuration_failure: str = ""


@dataclass
class BenchRunner:
    writer: AttemptWriter
    run_id: str
    models: Mapping[str, ModelHandle]
    provider_names: Mapping[str, str]
    solver: Solver
    solver_params: dict[str, object]
    grade: GradeFn
    cost: CostFn
    cache: ResponseCache
    progress: ProgressSink
    jobs: int = 1
    max_cost_usd: float | None = None
    grading_slots: int = field(default_factory=lambda: os.cpu_count() or 1)
    on_cancel: Callable[[], object] = lambda: None  # e.g. remove this run's containers
    retry_errors: bool = False  # attempts recorded as provider_error are run again
    unvalidated: frozenset[str] = frozenset()  # task ids run without proof (flagged)
    failures: FailureWatch = field(default_factory=FailureWatch)
    # An attempt's estimated cost before it starts (``bench.estimate``), for --max-cost.
    estimate: Callable[[WorkItem], float] = lambda _item: 0.0

    def __post_init__(self) -> None:
        self.not_recorded: Counter[str] = Counter()  # per model stopped by its configuration
        self._unwritten = 0  # attempts handed to the writer since its last flush
        self._reserved: dict[str, float] = {}  # estimated cost of each attempt in flight
        self.workers = Workers(
            self.models,
            self.solver,
            self.grade,
            self.cache,
            jobs=self.jobs,
            grading_slots=self.grading_slots,
        )

    # -- main thread ----------------------------------------------------------------

    def _record(self, finished: Finished, totals: RunTotals) -> None:
        result = finished.result
        assert result is not None
        item = finished.item
        write_started = time.perf_counter()
        record = build_attempt(
            item,
            result,
            run_id=self.run_id,
            provider=self.provider_names[item.model],
            # the provider's own flag (a routr.toml provider may be simulated too)
            simulated=bool(getattr(self.models[item.model], "simulated", False))
            or item.model.startswith("sim/"),
            solver=self.solver.name,
            solver_params=self.solver_params,
            cost_usd=self.cost(item.model, result.usage),
            stats=finished.stats,
            unvalidated=item.task.id in self.unvalidated,
        )
        replace = "provider_error" if self.retry_errors else None
        self.writer.add(record, replace)
        self._unwritten += 1
        write_s = time.perf_counter() - write_started
        totals.own_time_s.append(
            max(0.0, finished.wall_s - result.latency_s - result.grade_duration_s) + write_s
        )
        paid = self.cost(item.model, finished.stats.paid_usage) or 0.0
        totals.done += 1
        totals.solved += int(record.solved)
        totals.errors += int(record.status == "provider_error")
        totals.spend_usd += paid
        self.progress.attempt_done(record, totals)

    def _handle(self, finished: Finished, totals: RunTotals) -> str | None:
        """Record one finished attempt; return a message when the run must stop."""
        if finished.error is not None:
            raise finished.error
        result = finished.result
        assert result is not None
        if result.status == "sandbox_error":
            failure = self.workers.sandbox_failure
            detail = str(failure) if failure else result.error
            return f"sandbox failed ({detail})"
        if finished.cancelled and result.status == "provider_error":
            return None  # stopped by us mid-attempt: not the model's failure
        model = finished.item.model
        if result.status != "provider_error":
            self.failures.answered.add(model)
        elif self.failures.configuration_failure(model, result.error):
            # Not the model's failure on this task: not recorded, and nothing more of
            # this model is scheduled (see ``failures``).
            if not self.not_recorded[model]:
                self.progress.note(
                    f"{model}: {self.failures.stopped[model]} -- stopping this model's "
                    "attempts (not recorded)"
                )
            self.not_recorded[model] += 1
            return None
        else:
            line = self.failures.first_of_its_kind(model, result.error)
            if line is not None:
                self.progress.note(line)
        self._record(finished, totals)
        return None

    def _charge_write(self, seconds: float, totals: RunTotals) -> None:
        """A batch write's time, shared by the attempts it wrote (Routr's own time)."""
        if seconds > 0 and self._unwritten:
            share = seconds / self._unwritten
            for index in range(1, min(self._unwritten, len(totals.own_time_s)) + 1):
                totals.own_time_s[-index] += share
        if seconds > 0:
            self._unwritten = 0

    def _drop_stopped_models(self, pending: list[WorkItem]) -> list[WorkItem]:
        """``pending`` without the attempts of models stopped by a configuration failure."""
        if not self.failures.stopped:
            return pending
        kept = []
        for item in pending:
            if item.model in self.failures.stopped:
                self.not_recorded[item.model] += 1
            else:
                kept.append(item)
        return kept

    def _budget_stop(self, totals: RunTotals, item: WorkItem, left: int) -> str | None:
        """Why ``item`` may not start under ``--max-cost``, or None when it may.

        What was spent, plus the estimates reserved for attempts in flight, plus this
        attempt's estimate must stay within the limit: the run stops *before* it could
        pass it, overshooting at most by how far the estimates of attempts in flight
        fall short of their real cost.
        """
        if self.max_cost_usd is None:
            return None
        reserved = sum(self._reserved.values())
        estimate = self.estimate(item)
        spent = totals.spend_usd
        if spent < self.max_cost_usd and spent + reserved + estimate <= self.max_cost_usd:
            return None
        return (
            f"--max-cost ${self.max_cost_usd:.4f} reached: spent ${spent:.4f}, "
            f"${reserved:.4f} reserved for attempts in flight, the next estimated at "
            f"${estimate:.4f}; {plural(left, 'attempt')} not started "
            "(resume with a higher --max-cost)"
        )

    def run(self, work: Sequence[WorkItem]) -> RunOutcome:
        totals = RunTotals(total=len(work))
        pending = list(reversed(work))  # pop() from the end keeps the planned order
        self.workers.start()
        in_flight = 0
        stop_reason: StopReason = "completed"
        message = ""
        try:
            while pending or in_flight:
                while pending and in_flight < self.jobs and stop_reason == "completed":
                    budget = self._budget_stop(totals, pending[-1], len(pending))
                    if budget is not None:
                        stop_reason = "budget"
                        message = budget
                        break
                    item = pending.pop()
                    self._reserved[item.key] = self.estimate(item)
                    self.workers.submit(item)
                    in_flight += 1
                if stop_reason != "completed" and not in_flight:
                    break
                self._charge_write(self.writer.tick(), totals)
                try:
                    finished = self.workers.results.get(timeout=0.25)
                except queue.Empty:
                    continue
                in_flight -= 1
                self._reserved.pop(finished.item.key, None)  # its real cost counts now
                failure = self._handle(finished, totals)
                pending = self._drop_stopped_models(pending)
                if failure and stop_reason == "completed":
                    stop_reason = "sandbox"
                    message = failure
                    self.workers.stop.set()
                    pending.clear()
        except KeyboardInterrupt:
            self.workers.stop.set()
            # Finished attempts first (milliseconds of writes), then the containers
            # (seconds of Docker calls); a second Ctrl-C skips the rest, and the session
            # prunes this run's containers again on its way out.
            with contextlib.suppress(KeyboardInterrupt):
                self._record_finished(totals)
                self._charge_write(self.writer.flush(), totals)
                self.on_cancel()
            raise BenchInterrupted(
                f"interrupted: {plural(totals.done, 'attempt')} recorded, the rest not started or "
                "cancelled: resume with the same command"
            ) from None
        finally:
            # Nothing is in flight after a normal end; after an error, workers still in an
            # attempt stop at their next model call or grading instead of paying for
            # answers nobody will record.
            self.workers.stop.set()
            self.workers.close()
            # Whatever ended the run, what finished is written; a failing write only
            # speaks when no other error is on its way out.
            try:
                self._charge_write(self.writer.flush(), totals)
            except StoreError:
                if sys.exc_info()[0] is None:
                    raise
        if stop_reason == "sandbox":
            raise SandboxUnavailable(
                f"{message}; {plural(totals.done, 'attempt')} recorded: "
                "fix Docker, then resume with the same command"
            )
        config = self.failures.summary(dict(self.not_recorded)) if self.failures.stopped else ""
        return RunOutcome(stop_reason, totals.done, totals, message, config)

    def _record_finished(self, totals: RunTotals) -> None:
        """After Ctrl-C: record the attempts that had finished before it (already on the
        queue); the ones in flight are cancelled and not waited for."""
        while True:
            try:
                finished = self.workers.results.get_nowait()
            except queue.Empty:
                return
            result = finished.result
            if (
                finished.error is None
                and result is not None
                and not finished.cancelled
                and result.status != "sandbox_error"
                and not (
                    result.status == "provider_error"
                    and self.failures.configuration_failure(finished.item.model, result.error)
                )
            ):
                self._record(finished, totals)
