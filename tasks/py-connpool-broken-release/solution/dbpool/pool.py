"""ConnectionPool: at most `max_size` connections, shared by many threads."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dbpool.connection import Connection
from dbpool.errors import PoolClosed, PoolError, PoolExhausted
from dbpool.health import HealthChecker


class ConnectionPool:
    """Hands out connections from `backend.connect()`, reusing returned ones.

    `_size` counts every connection the pool is responsible for: idle, in use, and
    being opened. It goes down when a connection closes, whoever closes it (the pool
    on release, or a caller directly), through the close listener -- which takes the
    pool lock and wakes a waiter, since a slot just became free. So the pool never
    closes a connection while holding its own lock: the lock is not re-entrant, and
    driver close calls can be slow.
    """

    def __init__(
        self,
        backend: Any,
        max_size: int = 10,
        acquire_timeout: float = 5.0,
        checker: HealthChecker | None = None,
    ) -> None:
        if max_size <= 0:
            raise ValueError("max_size must be positive")
        self.backend = backend
        self.max_size = max_size
        self.acquire_timeout = acquire_timeout
        self.checker = checker or HealthChecker()
        self._lock = threading.Lock()
        self._available = threading.Condition(self._lock)
        self._idle: deque[Connection] = deque()
        self._in_use: set[Connection] = set()
        self._size = 0
        self._waiting = 0
        self._closed = False

    def acquire(self, timeout: float | None = None) -> Connection:
        """A connection for the caller's exclusive use; give it back with release()."""
        wait_for = self.acquire_timeout if timeout is None else timeout
        deadline = time.monotonic() + wait_for
        with self._available:
            while True:
                if self._closed:
                    raise PoolClosed("pool is closed")
                if self._idle:
                    conn = self._idle.popleft()
                    self._in_use.add(conn)
                    return conn
                if self._size < self.max_size:
                    self._size += 1  # reserve a slot; connect outside the lock
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolExhausted(
                        f"no connection available within {wait_for:.2f}s (max_size={self.max_size})"
                    )
                self._waiting += 1
                try:
                    self._available.wait(remaining)
                finally:
                    self._waiting -= 1
        return self._open_reserved()

    def _open_reserved(self) -> Connection:
        try:
            handle = self.backend.connect()
        except Exception:
            with self._available:
                self._size -= 1
                self._available.notify()
            raise
        conn = Connection(handle)
        conn.add_close_listener(self._on_connection_closed)
        with self._lock:
            self._in_use.add(conn)
        return conn

    def release(self, conn: Connection) -> None:
        """Give a connection back; unhealthy ones are closed instead of reused."""
        with self._available:
            if conn not in self._in_use:
                raise PoolError(f"{conn!r} is not checked out from this pool")
            self._in_use.discard(conn)
            reusable = not self._closed and self.checker.is_reusable(conn)
            if reusable:
                self._idle.append(conn)
                self._available.notify()
        if not reusable:
            conn.close()  # outside the lock: the close listener takes it

    def _on_connection_closed(self, conn: Connection) -> None:
        with self._available:
            self._size -= 1
            self._available.notify()  # a slot is free: a waiter may open a new connection

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[Connection]:
        conn = self.acquire(timeout)
        try:
            yield conn
        finally:
            self.release(conn)

    def close(self) -> None:
        """Close idle connections now; in-use ones are closed when released."""
        with self._available:
            self._closed = True
            idle = list(self._idle)
            self._idle.clear()
            self._available.notify_all()
        for conn in idle:
            conn.close()

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "size": self._size,
                "idle": len(self._idle),
                "in_use": len(self._in_use),
                "waiting": self._waiting,
            }
