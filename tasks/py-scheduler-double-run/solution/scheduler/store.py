"""Registry of jobs, safe to use from several threads.

Every job state transition (claim, finish, cancel) happens here under one lock, so
"is it due and not taken?" and "take it" can never be split between two threads.
"""

from __future__ import annotations

import threading

from scheduler.job import Job, JobState


class JobStore:
    def __init__(self) -> None:
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job

    def get(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def remove(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.pop(job_id, None)

    def due(self, now: float) -> list[Job]:
        """Scheduled jobs whose time has come, earliest first (ties: lower id first)."""
        with self._lock:
            ready = [j for j in self._jobs.values() if j.state is JobState.SCHEDULED and j.run_at <= now]
        return sorted(ready, key=lambda j: (j.run_at, j.id))

    def claim_next(self, now: float, skip: set[int]) -> Job | None:
        """Atomically take the earliest due job not in ``skip`` and mark it running."""
        with self._lock:
            ready = [
                j for j in self._jobs.values()
                if j.state is JobState.SCHEDULED and j.run_at <= now and j.id not in skip
            ]
            if not ready:
                return None
            job = min(ready, key=lambda j: (j.run_at, j.id))
            job.state = JobState.RUNNING
            job.last_started = now
            return job

    def finish(self, job: Job, due_time: float) -> None:
        """Record the end of a run: reschedule, complete, or drop if cancelled meanwhile."""
        with self._lock:
            if job.state is JobState.CANCELLED:
                self._jobs.pop(job.id, None)
            elif job.interval is not None:
                job.run_at = due_time + job.interval
                job.state = JobState.SCHEDULED
            else:
                job.state = JobState.DONE
                self._jobs.pop(job.id, None)

    def cancel(self, job_id: int) -> bool:
        """Mark a job cancelled; a running job is dropped by ``finish`` instead of now."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state in (JobState.DONE, JobState.CANCELLED):
                return False
            if job.state is not JobState.RUNNING:
                del self._jobs[job_id]
            job.state = JobState.CANCELLED
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)
