"""The job record."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field


class JobState(enum.Enum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(eq=False)
class Job:
    id: int
    name: str
    func: Callable[[], object]
    run_at: float
    interval: float | None = None
    state: JobState = JobState.SCHEDULED
    runs: int = 0
    last_started: float | None = None
    errors: list[BaseException] = field(default_factory=list)
