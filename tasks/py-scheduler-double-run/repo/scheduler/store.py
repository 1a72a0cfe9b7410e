"""Registry of jobs, safe to use from several threads."""

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

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)
