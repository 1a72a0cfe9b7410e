"""`@cached`: memoise a function with a LoadingCache."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from cachekit.loading import LoadingCache
from cachekit.lru import LRUCache


def cached(
    maxsize: int = 128, ttl: float | None = None, clock: Any | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate `fn` so repeated calls with equal arguments reuse the first result.

    The wrapper exposes the underlying LoadingCache as `wrapper.cache`.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        def load(key: tuple[Any, ...]) -> Any:
            args, kwargs = key
            return fn(*args, **dict(kwargs))

        loading = LoadingCache(LRUCache(maxsize=maxsize, ttl=ttl, clock=clock), load)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return loading.get((args, tuple(sorted(kwargs.items()))))

        wrapper.cache = loading  # type: ignore[attr-defined]
        return wrapper

    return decorate
