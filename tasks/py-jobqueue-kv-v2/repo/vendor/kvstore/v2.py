"""kvstore client v2: bytes values, versions and conditional writes."""

from __future__ import annotations

from typing import NamedTuple

from vendor.kvstore.server import MemoryServer, VersionConflict

__all__ = ["Client", "Entry", "VersionConflict"]


class Entry(NamedTuple):
    value: bytes
    version: int


class Client:
    def __init__(self, server: MemoryServer, namespace: str = "") -> None:
        self._server = server
        self._ns = namespace

    def get(self, key: str) -> Entry | None:
        found = self._server.read(self._ns + key)
        return Entry(*found) if found else None

    def put(self, key: str, value: bytes, *, ttl_ms: int | None = None, if_version: int | None = None) -> int:
        return self._server.write(self._ns + key, value, ttl_ms=ttl_ms, if_version=if_version)

    def delete(self, key: str, *, if_version: int | None = None) -> bool:
        return self._server.remove(self._ns + key, if_version=if_version)

    def scan(self, prefix: str) -> list[str]:
        full = self._ns + prefix
        return [key[len(self._ns):] for key in self._server.list_keys() if key.startswith(full)]

    def counter(self, key: str, delta: int = 1) -> int:
        return self._server.add(self._ns + key, delta)
