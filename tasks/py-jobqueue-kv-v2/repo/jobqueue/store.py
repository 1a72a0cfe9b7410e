"""All key-value access for the queue; the storage layout is documented in the README."""

from __future__ import annotations

from vendor.kvstore.server import MemoryServer
from vendor.kvstore.v1 import KVClient

from jobqueue.models import Job

JOB_PREFIX = "job:"
ID_COUNTER = "jobs:next_id"
EVENTS = ("enqueued", "completed", "failed", "dead")


class JobNotFound(KeyError):
    """No such job (never existed, or expired after its retention period)."""


class JobStore:
    def __init__(self, server: MemoryServer) -> None:
        self._kv = KVClient(server)

    def next_id(self) -> int:
        return self._kv.incr(ID_COUNTER)

    def save(self, job: Job, retention: float | None = None) -> None:
        """Write the job; with `retention` (seconds) the record expires after that long."""
        self._kv.set(f"{JOB_PREFIX}{job.job_id}", job.to_json(), expire=retention)

    def load(self, job_id: int) -> Job:
        try:
            return Job.from_json(self._kv.get(f"{JOB_PREFIX}{job_id}"))
        except KeyError:
            raise JobNotFound(job_id) from None

    def delete(self, job_id: int) -> bool:
        return self._kv.delete(f"{JOB_PREFIX}{job_id}")

    def job_ids(self) -> list[int]:
        """Ids of every stored job, ascending (numerically)."""
        return sorted(int(key[len(JOB_PREFIX):]) for key in self._kv.keys(JOB_PREFIX + "*"))

    def bump(self, event: str) -> None:
        self._kv.incr(f"stats:{event}")

    def counters(self) -> dict[str, int]:
        out = {}
        for event in EVENTS:
            try:
                out[event] = int(self._kv.get(f"stats:{event}"))
            except KeyError:
                out[event] = 0
        return out
