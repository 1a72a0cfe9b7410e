"""An in-memory driver that behaves like our production one, for tests and local runs."""

from __future__ import annotations

import itertools
import threading


class FakeHandle:
    """A driver-level connection handle."""

    def __init__(self, backend: FakeBackend, number: int) -> None:
        self.backend = backend
        self.number = number
        self.open = True
        self.fail_next = False

    def run(self, sql: str) -> list[tuple[object, ...]]:
        if not self.open:
            raise OSError("handle is closed")
        if self.fail_next:
            self.fail_next = False
            raise OSError("server closed the connection unexpectedly")
        self.backend.record(sql)
        return [(self.number, sql)]

    def close(self) -> None:
        if self.open:
            self.open = False
            self.backend.closed_one()


class FakeBackend:
    """Creates FakeHandles and counts what is open; `fail_connects` makes connect() fail."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self.opened = 0
        self.closed = 0
        self.statements: list[str] = []
        self.fail_connects = 0

    def connect(self) -> FakeHandle:
        with self._lock:
            if self.fail_connects > 0:
                self.fail_connects -= 1
                raise OSError("could not connect to server")
            self.opened += 1
            return FakeHandle(self, next(self._numbers))

    def record(self, sql: str) -> None:
        with self._lock:
            self.statements.append(sql)

    def closed_one(self) -> None:
        with self._lock:
            self.closed += 1

    @property
    def open_count(self) -> int:
        with self._lock:
            return self.opened - self.closed
