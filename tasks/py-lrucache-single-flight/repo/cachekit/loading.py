"""Read-through cache: misses are filled by calling a loader."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from cachekit.lru import MISSING, LRUCache
from cachekit.stats import CacheStats


class LoadingCache:
    """`get(key)` returns the cached value, loading it with `loader(key)` on a miss.

    A loader exception propagates to the caller and nothing is cached, so the next
    `get` tries again.
    """

    def __init__(self, cache: LRUCache, loader: Callable[[Hashable], Any]) -> None:
        self.cache = cache
        self.loader = loader

    @property
    def stats(self) -> CacheStats:
        return self.cache.stats

    def get(self, key: Hashable) -> Any:
        value = self.cache.lookup(key)
        if value is not MISSING:
            return value
        try:
            value = self.loader(key)
        except Exception:
            self.cache.stats.record("load_failures")
            raise
        self.cache.stats.record("loads")
        self.cache.put(key, value)
        return value

    def refresh(self, key: Hashable) -> Any:
        """Reload `key` now, replacing any cached value."""
        self.cache.invalidate(key)
        return self.get(key)

    def invalidate(self, key: Hashable) -> bool:
        return self.cache.invalidate(key)
