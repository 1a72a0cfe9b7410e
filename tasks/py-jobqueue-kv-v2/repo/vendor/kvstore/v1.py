"""kvstore client v1 -- DEPRECATED: use vendor.kvstore.v2.Client."""

from __future__ import annotations

import fnmatch
import math
import warnings

from vendor.kvstore.server import MemoryServer


class KVClient:
    def __init__(self, server: MemoryServer) -> None:
        warnings.warn(
            "kvstore v1 KVClient is deprecated and will be removed; use vendor.kvstore.v2.Client",
            DeprecationWarning,
            stacklevel=2,
        )
        self._server = server

    def get(self, key: str) -> str:
        found = self._server.read(key)
        if found is None:
            raise KeyError(key)
        return found[0].decode("utf-8")

    def set(self, key: str, value: str, expire: float | None = None) -> None:
        ttl_ms = None if expire is None else max(1, math.ceil(expire * 1000))
        self._server.write(key, value.encode("utf-8"), ttl_ms=ttl_ms)

    def delete(self, key: str) -> bool:
        return self._server.remove(key)

    def keys(self, pattern: str) -> list[str]:
        return [key for key in self._server.list_keys() if fnmatch.fnmatchcase(key, pattern)]

    def incr(self, key: str, amount: int = 1) -> int:
        return self._server.add(key, amount)
