"""The scheduler: what runs when."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable

from scheduler.clock import Clock
from scheduler.job import Job
from scheduler.store import JobStore

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._store = JobStore()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.history: list[tuple[str, float]] = []

    def schedule(
        self, func: Callable[[], object], at: float, interval: float | None = None, name: str | None = None
    ) -> int:
        """Run ``func`` at time ``at`` (and every ``interval`` seconds after, if set)."""
        if interval is not None and interval <= 0:
            raise ValueError("interval must be positive")
        with self._lock:
            job_id = next(self._ids)
        self._store.add(Job(id=job_id, name=name or f"job-{job_id}", func=func, run_at=at, interval=interval))
        return job_id

    def cancel(self, job_id: int) -> bool:
        """Stop future runs of ``job_id``; returns False if it is unknown or finished."""
        return self._store.cancel(job_id)

    def get(self, job_id: int) -> Job | None:
        return self._store.get(job_id)

    def pending_count(self) -> int:
        return len(self._store)

    def run_pending(self) -> int:
        """Run every job due now in this thread; return how many ran.

        Jobs are claimed one at a time (atomically, in the store) so that other
        workers can run the remaining due jobs in parallel, and no occurrence is
        ever taken by two workers. Jobs run without any lock held, so they may
        schedule or cancel jobs themselves.
        """
        now = self._clock.now()
        started: set[int] = set()
        while (job := self._store.claim_next(now, started)) is not None:
            started.add(job.id)
            self._execute(job)
        return len(started)

    def _execute(self, job: Job) -> None:
        due_time = job.run_at
        try:
            job.func()
        except Exception as exc:  # a failing job must not take the worker down
            log.exception("job %s failed", job.name)
            job.errors.append(exc)
        finally:
            job.runs += 1
            with self._lock:
                self.history.append((job.name, due_time))
            self._store.finish(job, due_time)
