"""Sliding-window log limiter: at most `limit` units in any `window` seconds, per key."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from ratelimit.clock import Clock, MonotonicClock
from ratelimit.stats import LimiterStats


class SlidingWindowLimiter:
    """Remembers the timestamp of every granted unit, per key.

    Exact (no bucket approximation), at the price of O(limit) memory per key. One lock
    guards the whole log: check-and-record must be atomic, or concurrent callers all see
    the same free room and overshoot the limit.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Clock | None = None,
        stats: Any | None = None,
    ) -> None:
        if limit <= 0 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit = limit
        self.window = float(window)
        self._clock = clock or MonotonicClock()
        self._stats = stats if stats is not None else LimiterStats()
        self._log: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _evict(self, entries: deque[float], now: float) -> None:
        horizon = now - self.window
        while entries and entries[0] <= horizon:
            entries.popleft()

    def allow(self, key: str, cost: int = 1) -> bool:
        """Grant `cost` units to `key` if the window has room; never blocks on I/O."""
        if cost <= 0:
            raise ValueError("cost must be positive")
        granted = False
        if cost <= self.limit:
            now = self._clock.now()
            with self._lock:
                entries = self._log.setdefault(key, deque())
                self._evict(entries, now)
                if len(entries) + cost <= self.limit:
                    entries.extend([now] * cost)
                    granted = True
        # Stats hooks run outside the lock: a slow exporter must not serialise callers.
        if granted:
            self._stats.granted(key, cost)
        else:
            self._stats.rejected(key, cost)
        return granted

    def remaining(self, key: str) -> int:
        """Units `key` could still take right now."""
        now = self._clock.now()
        with self._lock:
            entries = self._log.get(key)
            if entries is None:
                return self.limit
            self._evict(entries, now)
            return self.limit - len(entries)

    def reset(self, key: str) -> None:
        """Forget everything about `key` (used when a client is upgraded)."""
        with self._lock:
            self._log.pop(key, None)

    def keys(self) -> list[str]:
        with self._lock:
            return sorted(self._log)
