"""Clocks: limiters never read time directly, so tests can control it."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale (the origin does not matter)."""
        ...


class MonotonicClock:
    """The real clock used in production."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that only moves when told to; safe to share between threads."""

    def __init__(self, start: float = 0.0) -> None:
        self._value = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._value

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        with self._lock:
            self._value += seconds
