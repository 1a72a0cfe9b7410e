"""Read-through cache: misses are filled by calling a loader, one load per key at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from cachekit.lru import MISSING, LRUCache
from cachekit.stats import CacheStats


class _Flight:
    """One in-progress load that other callers of the same key wait on."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class LoadingCache:
    """`get(key)` returns the cached value, loading it with `loader(key)` on a miss.

    Concurrent misses on one key share a single loader call (no stampede on the
    backend); loads of different keys run in parallel. A loader exception reaches every
    caller waiting on that load and nothing is cached, so the next `get` tries again.
    """

    def __init__(self, cache: LRUCache, loader: Callable[[Hashable], Any]) -> None:
        self.cache = cache
        self.loader = loader
        self._flights: dict[Hashable, _Flight] = {}
        self._flights_lock = threading.Lock()

    @property
    def stats(self) -> CacheStats:
        return self.cache.stats

    def get(self, key: Hashable) -> Any:
        value = self.cache.lookup(key)
        if value is not MISSING:
            return value
        with self._flights_lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                # A load may have finished between our lookup and taking the lock.
                if key in self.cache:
                    value = self.cache.lookup(key)
                    if value is not MISSING:
                        return value
                flight = _Flight()
                self._flights[key] = flight
        assert flight is not None
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value
        return self._load(key, flight)

    def _load(self, key: Hashable, flight: _Flight) -> Any:
        try:
            value = self.loader(key)
        except BaseException as exc:
            self.cache.stats.record("load_failures")
            flight.error = exc
            raise
        else:
            self.cache.stats.record("loads")
            self.cache.put(key, value)
            flight.value = value
            return value
        finally:
            with self._flights_lock:
                del self._flights[key]
            flight.done.set()

    def refresh(self, key: Hashable) -> Any:
        """Reload `key` now, replacing any cached value."""
        self.cache.invalidate(key)
        return self.get(key)

    def invalidate(self, key: Hashable) -> bool:
        return self.cache.invalidate(key)
