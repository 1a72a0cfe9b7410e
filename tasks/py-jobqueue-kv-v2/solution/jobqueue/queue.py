"""JobQueue: enqueue, claim, complete, retry with exponential backoff, dead-letter."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from vendor.kvstore.server import MemoryServer

from jobqueue.models import Job
from jobqueue.store import JobNotFound, JobStore, VersionConflict

DAY = 86_400.0


class JobStateError(Exception):
    """The operation does not fit the job's current status."""


class JobQueue:
    """One instance per worker process; all instances share the server's data.

    Each job is claimed by exactly one worker: a claim is a conditional write on the
    version that was read, so when two workers race for a job one of them gets a
    conflict and moves on to the next job. A failed job is retried after
    `backoff_base ** attempts` seconds until `max_attempts`, then it is dead.
    Finished (done or dead) jobs are kept for `retention` seconds.
    """

    def __init__(
        self,
        server: MemoryServer,
        now: Callable[[], float] = time.time,
        retention: float = DAY,
        backoff_base: float = 2.0,
    ) -> None:
        self.store = JobStore(server)
        self.now = now
        self.retention = retention
        self.backoff_base = backoff_base

    def enqueue(self, kind: str, payload: dict[str, Any] | None = None, delay: float = 0.0, max_attempts: int = 3) -> int:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        job = Job(self.store.next_id(), kind, dict(payload or {}), max_attempts=max_attempts, run_at=self.now() + delay)
        self.store.save(job)
        self.store.bump("enqueued")
        return job.job_id

    def get(self, job_id: int) -> Job:
        return self.store.load(job_id)

    def claim_next(self, worker: str) -> Job | None:
        """The oldest due job, now marked running for `worker`; None if nothing is due."""
        now = self.now()
        for job_id in self.store.job_ids():
            try:
                job, version = self.store.load_versioned(job_id)
            except JobNotFound:
                continue  # expired or deleted since we listed it
            if job.status != "queued" or job.run_at > now:
                continue
            job.status = "running"
            job.worker = worker
            job.attempts += 1
            try:
                self.store.save(job, if_version=version)
            except VersionConflict:
                continue  # another worker claimed it first
            return job
        return None

    def complete(self, job_id: int, result: Any = None) -> Job:
        job, version = self._running(job_id)
        job.status = "done"
        job.result = result
        self._save_owned(job, version, retention=self.retention)
        self.store.bump("completed")
        return job

    def fail(self, job_id: int, error: str) -> Job:
        job, version = self._running(job_id)
        job.last_error = error
        job.worker = None
        if job.attempts >= job.max_attempts:
            job.status = "dead"
            self._save_owned(job, version, retention=self.retention)
            self.store.bump("dead")
        else:
            job.status = "queued"
            job.run_at = self.now() + self.backoff_base ** job.attempts
            self._save_owned(job, version)
            self.store.bump("failed")
        return job

    def pending(self) -> list[int]:
        """Ids of queued jobs (due or not), ascending."""
        ids = []
        for job_id in self.store.job_ids():
            try:
                if self.store.load(job_id).status == "queued":
                    ids.append(job_id)
            except JobNotFound:
                continue
        return ids

    def stats(self) -> dict[str, int]:
        return self.store.counters()

    def _running(self, job_id: int) -> tuple[Job, int]:
        job, version = self.store.load_versioned(job_id)
        if job.status != "running":
            raise JobStateError(f"job {job_id} is {job.status}, not running")
        return job, version

    def _save_owned(self, job: Job, version: int, retention: float | None = None) -> None:
        try:
            self.store.save(job, retention=retention, if_version=version)
        except VersionConflict:
            raise JobStateError(f"job {job.job_id} changed while being finished") from None
