"""Time sources for TTL checks."""

from __future__ import annotations

import time


class SystemClock:
    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """Moves only when `advance` is called; for tests and simulations."""

    def __init__(self, start: float = 0.0) -> None:
        self.value = start

    def now(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds
