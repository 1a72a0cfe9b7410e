"""A bounded LRU map with optional time-to-live."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from cachekit.clock import SystemClock
from cachekit.stats import CacheStats

_MISSING = object()


class LRUCache:
    """Least-recently-used cache; every method is atomic under one lock.

    `ttl` (seconds) applies to every entry unless `put(..., ttl=...)` overrides it;
    expired entries behave exactly like absent ones.
    """

    def __init__(
        self,
        maxsize: int = 128,
        ttl: float | None = None,
        clock: Any | None = None,
        stats: CacheStats | None = None,
    ) -> None:
        if maxsize <= 0:
            raise ValueError("maxsize must be positive")
        self.maxsize = maxsize
        self.ttl = ttl
        self.clock = clock or SystemClock()
        self.stats = stats or CacheStats()
        self._data: OrderedDict[Hashable, tuple[Any, float | None]] = OrderedDict()
        self._lock = threading.RLock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        value = self.lookup(key)
        return default if value is _MISSING else value

    def lookup(self, key: Hashable) -> Any:
        """The cached value, or the module's private sentinel on a miss."""
        with self._lock:
            item = self._data.get(key, _MISSING)
            if item is _MISSING:
                self.stats.record("misses")
                return _MISSING
            value, expires = item
            if expires is not None and self.clock.now() >= expires:
                del self._data[key]
                self.stats.record("misses")
                return _MISSING
            self._data.move_to_end(key)
            self.stats.record("hits")
            return value

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        ttl = self.ttl if ttl is None else ttl
        expires = None if ttl is None else self.clock.now() + ttl
        with self._lock:
            self._data[key] = (value, expires)
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
                self.stats.record("evictions")

    def invalidate(self, key: Hashable) -> bool:
        with self._lock:
            return self._data.pop(key, _MISSING) is not _MISSING

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            item = self._data.get(key, _MISSING)
            if item is _MISSING:
                return False
            expires = item[1]
            return expires is None or self.clock.now() < expires

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def keys(self) -> list[Hashable]:
        """Keys from least to most recently used."""
        with self._lock:
            return list(self._data)


MISSING = _MISSING
