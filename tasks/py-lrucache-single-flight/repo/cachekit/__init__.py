"""LRU/TTL caches and a read-through loading cache."""

from cachekit.clock import ManualClock, SystemClock
from cachekit.decorators import cached
from cachekit.loading import LoadingCache
from cachekit.lru import LRUCache
from cachekit.stats import CacheStats

__all__ = ["CacheStats", "LRUCache", "LoadingCache", "ManualClock", "SystemClock", "cached"]
