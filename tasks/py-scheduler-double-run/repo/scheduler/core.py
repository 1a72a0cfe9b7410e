"""The scheduler: what runs when."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable

from scheduler.clock import Clock
from scheduler.job import Job, JobState
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
        with self._lock:
            job = self._store.get(job_id)
            if job is None or job.state in (JobState.DONE, JobState.CANCELLED):
                return False
            if job.state is not JobState.RUNNING:
                self._store.remove(job_id)  # a running job is cleaned up when it finishes
            job.state = JobState.CANCELLED
            return True

    def get(self, job_id: int) -> Job | None:
        return self._store.get(job_id)

    def pending_count(self) -> int:
        return len(self._store)

    def run_pending(self) -> int:
        """Run every due job in this thread; return how many ran."""
        ran = 0
        for job in self._store.due(self._clock.now()):
            if job.state is not JobState.SCHEDULED:
                continue
            job.last_started = self._clock.now()
            job.state = JobState.RUNNING
            self._execute(job)
            ran += 1
        return ran

    def _execute(self, job: Job) -> None:
        due_time = job.run_at
        try:
            job.func()
        except Exception as exc:  # a failing job must not take the worker down
            log.exception("job %s failed", job.name)
            job.errors.append(exc)
        finally:
            job.runs += 1
            self._finish(job, due_time)

    def _finish(self, job: Job, due_time: float) -> None:
        with self._lock:
            self.history.append((job.name, due_time))
            if job.interval is not None:
                job.run_at = due_time + job.interval
                job.state = JobState.SCHEDULED
            else:
                job.state = JobState.DONE
                self._store.remove(job.id)
