"""Row types."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    code: str
    url: str
    owner: str
    created_at: float
    clicks: int = 0
    tags: tuple[str, ...] = field(default=())
