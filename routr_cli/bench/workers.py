"""The worker side of the bench: daemon threads that run whole attempts.

Workers hold no reference to the store (only the main thread writes), which also
means that after Ctrl-C the process can exit while a worker is still inside a model
call: nothing it holds needs closing, and the operating system drops its connection.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from routr_cli.bench.cache import (
    CachedModel,
    CacheStats,
    CachingProvider,
    ResponseCache,
    RunCancelled,
)
from routr_cli.bench.keys import WorkItem
from routr_cli.errors import SandboxUnavailable
from routr_cli.grading.model import Grade
from routr_cli.providers.base import Provider
from routr_cli.solvers.base import Solver, SolveResult
from routr_cli.tasks.model import Change, Task

GradeFn = Callable[[Task, Change], Grade]


class ModelHandle(Protocol):
    """A resolved model, as the workers need it."""

    @property
    def name(self) -> str: ...

    @property
    def model_id(self) -> str: ...

    @property
    def provider(self) -> Provider: ...


@dataclass(frozen=True)
class Finished:
    item: WorkItem
    result: SolveResult | None
    stats: CacheStats
    cancelled: bool  # the run was stopping when the attempt ended
    error: BaseException | None = None
    wall_s: float = 0.0  # the whole attempt in its worker, model and sandbox included


class Workers:
    """``jobs`` daemon threads taking work items from ``inbox``, results to ``results``."""

    def __init__(
        self,
        models: Mapping[str, ModelHandle],
        solver: Solver,
        grade: GradeFn,
        cache: ResponseCache,
        *,
        jobs: int,
        grading_slots: int,
    ) -> None:
        self.models = models
        self.solver = solver
        self.grade = grade
        self.cache = cache
        self.jobs = max(1, jobs)
        self.stop = threading.Event()
        self.results: queue.Queue[Finished] = queue.Queue()
        self.sandbox_failure: SandboxUnavailable | None = None
        self._inbox: queue.Queue[WorkItem | None] = queue.Queue()
        self._grading = threading.BoundedSemaphore(max(1, grading_slots))

    def start(self) -> None:
        self.stop.clear()  # a runner that stopped once may run again
        for number in range(self.jobs):
            threading.Thread(target=self._loop, name=f"routr-bench-{number}", daemon=True).start()

    def submit(self, item: WorkItem) -> None:
        self._inbox.put(item)

    def close(self) -> None:
        """Idle workers end now; busy ones after their attempt (or at the next checkpoint)."""
        for _ in range(self.jobs):
            self._inbox.put(None)

    def _loop(self) -> None:
        while (item := self._inbox.get()) is not None:
            self._attempt(item)

    def _grader(self, task: Task) -> Callable[[Change], Grade]:
        """Grade with at most ``grading_slots`` sandboxes at once; stop at a checkpoint."""

        def grade(change: Change) -> Grade:
            if self.stop.is_set():
                raise RunCancelled("the run is stopping")
            with self._grading:
                if self.stop.is_set():
                    raise RunCancelled("the run is stopping")
                try:
                    return self.grade(task, change)
                except SandboxUnavailable as exc:
                    self.sandbox_failure = self.sandbox_failure or exc
                    raise

        return grade

    def _attempt(self, item: WorkItem) -> None:
        """Run one attempt and always put exactly one ``Finished`` on ``results``: the main
        thread counts attempts in flight, so a worker that died without reporting (a bug
        while wrapping the provider as much as inside the solver) would hang the run."""
        started = time.perf_counter()
        stats = CacheStats()
        try:
            base = self.models[item.model]
            provider = CachingProvider(
                base.provider, item.model, item.epoch, self.cache, should_stop=self.stop.is_set
            )
            stats = provider.stats
            model = CachedModel(
                base.name, base.model_id, provider, getattr(base, "context_window", None)
            )
            result = self.solver.solve(item.task, model, self._grader(item.task), epoch=item.epoch)
        except BaseException as exc:
            self.results.put(Finished(item, None, stats, self.stop.is_set(), exc))
            return
        wall = time.perf_counter() - started
        self.results.put(Finished(item, result, provider.stats, self.stop.is_set(), None, wall))
