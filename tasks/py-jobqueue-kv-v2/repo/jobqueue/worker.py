"""A minimal worker loop: claim, dispatch by kind, complete or fail."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jobqueue.queue import JobQueue

Handler = Callable[[dict[str, Any]], Any]


class Worker:
    def __init__(self, queue: JobQueue, name: str, handlers: Mapping[str, Handler]) -> None:
        self.queue = queue
        self.name = name
        self.handlers = dict(handlers)

    def run_once(self) -> bool:
        """Process one due job; False when nothing was due."""
        job = self.queue.claim_next(self.name)
        if job is None:
            return False
        handler = self.handlers.get(job.kind)
        if handler is None:
            self.queue.fail(job.job_id, f"no handler for {job.kind!r}")
            return True
        try:
            result = handler(job.payload)
        except Exception as exc:  # a failing job must not kill the worker
            self.queue.fail(job.job_id, f"{type(exc).__name__}: {exc}")
        else:
            self.queue.complete(job.job_id, result)
        return True

    def run_until_idle(self, max_jobs: int = 10_000) -> int:
        done = 0
        while done < max_jobs and self.run_once():
            done += 1
        return done
