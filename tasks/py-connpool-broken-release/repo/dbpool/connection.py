"""A pooled connection: wraps a driver handle and reports when it closes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from dbpool.errors import ConnectionBroken

CloseListener = Callable[["Connection"], None]


class Connection:
    """One driver handle plus the bookkeeping the pool and health checks need.

    A driver error marks the connection broken (it must not be reused) and is
    re-raised as ConnectionBroken. `close()` is idempotent; the first call notifies
    every registered close listener, in registration order.
    """

    def __init__(self, handle: Any, created_at: float | None = None) -> None:
        self.handle = handle
        self.created_at = time.monotonic() if created_at is None else created_at
        self.uses = 0
        self.broken = False
        self.closed = False
        self._listeners: list[CloseListener] = []
        self._state_lock = threading.Lock()

    def add_close_listener(self, listener: CloseListener) -> None:
        self._listeners.append(listener)

    def execute(self, sql: str) -> list[tuple[object, ...]]:
        if self.closed:
            raise ConnectionBroken("connection is closed")
        self.uses += 1
        try:
            return self.handle.run(sql)
        except OSError as exc:
            self.broken = True
            raise ConnectionBroken(str(exc)) from exc

    def mark_broken(self) -> None:
        """Flag the connection as unusable, e.g. after a protocol error upstream."""
        self.broken = True

    def close(self) -> None:
        with self._state_lock:
            if self.closed:
                return
            self.closed = True
        try:
            self.handle.close()
        finally:
            for listener in list(self._listeners):
                listener(self)

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("broken" if self.broken else "ok")
        return f"<Connection #{getattr(self.handle, 'number', '?')} {state} uses={self.uses}>"
