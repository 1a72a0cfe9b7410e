"""Token bucket: a steady refill rate plus a burst capacity."""

from __future__ import annotations

import threading
from typing import Any

from ratelimit.clock import Clock, MonotonicClock
from ratelimit.stats import LimiterStats


class TokenBucket:
    """`capacity` tokens, refilled at `rate` tokens per second.

    One bucket protects one resource; all methods are safe to call from many threads.
    """

    def __init__(
        self,
        capacity: float,
        rate: float,
        clock: Clock | None = None,
        stats: Any | None = None,
        key: str = "default",
    ) -> None:
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity = float(capacity)
        self.rate = float(rate)
        self.key = key
        self._clock = clock or MonotonicClock()
        self._stats = stats if stats is not None else LimiterStats()
        self._tokens = float(capacity)
        self._updated = self._clock.now()
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = now

    def try_acquire(self, cost: float = 1.0) -> bool:
        """Take `cost` tokens if available; never blocks."""
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self._lock:
            self._refill(self._clock.now())
            if self._tokens < cost:
                self._stats.rejected(self.key, int(cost))
                return False
            self._stats.granted(self.key, int(cost))
            self._tokens -= cost
            return True

    def available(self) -> float:
        with self._lock:
            self._refill(self._clock.now())
            return self._tokens
