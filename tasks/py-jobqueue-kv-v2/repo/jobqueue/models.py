"""The job record and its JSON encoding (the stored format other services read)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("queued", "running", "done", "dead")


@dataclass
class Job:
    job_id: int
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    status: str = "queued"
    attempts: int = 0
    max_attempts: int = 3
    run_at: float = 0.0  # epoch seconds; the job is not due before this
    worker: str | None = None
    last_error: str | None = None
    result: Any = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Job:
        data = json.loads(text)
        if data.get("status") not in STATUSES:
            raise ValueError(f"corrupt job record: bad status {data.get('status')!r}")
        return cls(**data)
