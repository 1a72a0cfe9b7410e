"""One parsed request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Request:
    timestamp: datetime  # timezone-aware, in the offset the gateway logged
    method: str
    path: str
    status: int
    duration_s: float
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.status >= 500
