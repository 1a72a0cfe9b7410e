"""An in-memory kvstore server with the same semantics as the network one.

Every operation is atomic. `latency` (seconds) is slept before each operation to
mimic a network round trip; `clock` (milliseconds) drives expiry.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class VersionConflict(Exception):
    """A conditional write found a different version than expected."""


@dataclass
class _Record:
    value: bytes
    version: int
    expires_at_ms: int | None


class ManualClock:
    def __init__(self, start_ms: int = 0) -> None:
        self.now_ms = start_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, seconds: float) -> None:
        self.now_ms += int(seconds * 1000)


class MemoryServer:
    def __init__(self, clock: Callable[[], int] | None = None, latency: float = 0.0) -> None:
        self._clock = clock or (lambda: int(time.time() * 1000))
        self._latency = latency
        self._lock = threading.Lock()
        self._data: dict[str, _Record] = {}
        self._versions = 0

    def _round_trip(self) -> None:
        if self._latency:
            time.sleep(self._latency)

    def _live(self, key: str) -> _Record | None:
        record = self._data.get(key)
        if record and record.expires_at_ms is not None and self._clock() >= record.expires_at_ms:
            del self._data[key]
            return None
        return record

    def read(self, key: str) -> tuple[bytes, int] | None:
        self._round_trip()
        with self._lock:
            record = self._live(key)
            return (record.value, record.version) if record else None

    def write(self, key: str, value: bytes, ttl_ms: int | None = None, if_version: int | None = None) -> int:
        if not isinstance(value, bytes):
            raise TypeError("the server stores bytes")
        if ttl_ms is not None and (not isinstance(ttl_ms, int) or ttl_ms <= 0):
            raise ValueError("ttl_ms must be a positive integer")
        self._round_trip()
        with self._lock:
            record = self._live(key)
            if if_version is not None and (record.version if record else 0) != if_version:
                raise VersionConflict(key)
            self._versions += 1
            expires = None if ttl_ms is None else self._clock() + ttl_ms
            self._data[key] = _Record(value, self._versions, expires)
            return self._versions

    def remove(self, key: str, if_version: int | None = None) -> bool:
        self._round_trip()
        with self._lock:
            record = self._live(key)
            if if_version is not None and (record.version if record else 0) != if_version:
                raise VersionConflict(key)
            return self._data.pop(key, None) is not None

    def list_keys(self) -> list[str]:
        self._round_trip()
        with self._lock:
            return sorted(key for key in list(self._data) if self._live(key))

    def add(self, key: str, delta: int) -> int:
        self._round_trip()
        with self._lock:
            record = self._live(key)
            value = int(record.value) + delta if record else delta
            self._versions += 1
            expires = record.expires_at_ms if record else None
            self._data[key] = _Record(str(value).encode(), self._versions, expires)
            return value
