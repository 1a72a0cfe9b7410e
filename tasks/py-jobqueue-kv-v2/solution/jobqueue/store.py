"""All key-value access for the queue; the storage layout is documented in the README.

Uses kvstore client v2. Values are UTF-8 JSON bytes (what v1 wrote, so old records stay
readable), TTLs are milliseconds, and every job read carries the entry's version so
callers can make conditional writes (compare-and-swap) when several workers race.
"""

from __future__ import annotations

import math

from vendor.kvstore.server import MemoryServer
from vendor.kvstore.v2 import Client, VersionConflict

from jobqueue.models import Job

JOB_PREFIX = "job:"
ID_COUNTER = "jobs:next_id"
EVENTS = ("enqueued", "completed", "failed", "dead")

__all__ = ["EVENTS", "JobNotFound", "JobStore", "VersionConflict"]


class JobNotFound(KeyError):
    """No such job (never existed, or expired after its retention period)."""


def _ttl_ms(retention: float | None) -> int | None:
    return None if retention is None else max(1, math.ceil(retention * 1000))


class JobStore:
    def __init__(self, server: MemoryServer) -> None:
        self._kv = Client(server)

    def next_id(self) -> int:
        return self._kv.counter(ID_COUNTER)

    def save(self, job: Job, retention: float | None = None, if_version: int | None = None) -> int:
        """Write the job and return its new version.

        With `retention` (seconds) the record expires after that long. With
        `if_version` the write only happens if nobody wrote the job since that version
        was read; otherwise VersionConflict is raised.
        """
        return self._kv.put(
            f"{JOB_PREFIX}{job.job_id}",
            job.to_json().encode("utf-8"),
            ttl_ms=_ttl_ms(retention),
            if_version=if_version,
        )

    def load_versioned(self, job_id: int) -> tuple[Job, int]:
        entry = self._kv.get(f"{JOB_PREFIX}{job_id}")
        if entry is None:
            raise JobNotFound(job_id)
        return Job.from_json(entry.value.decode("utf-8")), entry.version

    def load(self, job_id: int) -> Job:
        return self.load_versioned(job_id)[0]

    def delete(self, job_id: int) -> bool:
        return self._kv.delete(f"{JOB_PREFIX}{job_id}")

    def job_ids(self) -> list[int]:
        """Ids of every stored job, ascending (numerically)."""
        return sorted(int(key[len(JOB_PREFIX):]) for key in self._kv.scan(JOB_PREFIX))

    def bump(self, event: str) -> None:
        self._kv.counter(f"stats:{event}")

    def counters(self) -> dict[str, int]:
        out = {}
        for event in EVENTS:
            entry = self._kv.get(f"stats:{event}")
            out[event] = int(entry.value.decode("ascii")) if entry else 0
        return out
