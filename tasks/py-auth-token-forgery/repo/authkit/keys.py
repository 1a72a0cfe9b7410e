"""Signing keys on disk: one file per key id."""

from __future__ import annotations

import os
from pathlib import Path


class KeyStore:
    """Keys live in ``directory/<kid>``; the newest file is the current key."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = str(directory)

    @property
    def current_kid(self) -> str:
        entries = [e for e in os.scandir(self.directory) if e.is_file()]
        if not entries:
            raise LookupError(f"no signing keys in {self.directory}")
        return max(entries, key=lambda e: (e.stat().st_mtime, e.name)).name

    def get(self, kid: str) -> bytes:
        with open(os.path.join(self.directory, kid), "rb") as handle:
            return handle.read()
