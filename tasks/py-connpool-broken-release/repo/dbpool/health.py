"""Reuse policy applied when a connection comes back to the pool."""

from __future__ import annotations

import time

from dbpool.connection import Connection


class HealthChecker:
    """A connection is reusable unless broken, closed, too old or used too often."""

    def __init__(self, max_uses: int | None = None, max_age: float | None = None) -> None:
        if max_uses is not None and max_uses <= 0:
            raise ValueError("max_uses must be positive")
        if max_age is not None and max_age <= 0:
            raise ValueError("max_age must be positive")
        self.max_uses = max_uses
        self.max_age = max_age

    def is_reusable(self, conn: Connection, now: float | None = None) -> bool:
        if conn.closed or conn.broken:
            return False
        if self.max_uses is not None and conn.uses >= self.max_uses:
            return False
        if self.max_age is not None:
            now = time.monotonic() if now is None else now
            if now - conn.created_at >= self.max_age:
                return False
        return True
