"""Grant/reject counters exported by the gateway."""

from __future__ import annotations

import threading
from collections import Counter


class LimiterStats:
    """Thread-safe counters keyed by client id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.granted_units: Counter[str] = Counter()
        self.rejected_units: Counter[str] = Counter()

    def granted(self, key: str, cost: int) -> None:
        with self._lock:
            self.granted_units[key] += cost

    def rejected(self, key: str, cost: int) -> None:
        with self._lock:
            self.rejected_units[key] += cost

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            keys = set(self.granted_units) | set(self.rejected_units)
            return {
                key: {"granted": self.granted_units[key], "rejected": self.rejected_units[key]}
                for key in sorted(keys)
            }
