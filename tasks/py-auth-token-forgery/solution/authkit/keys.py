"""Signing keys on disk: one file per key id."""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Key ids are plain file names we created; nothing that could name another path.
_KID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_KEY_BYTES = 16


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
        """The key for ``kid``. ``kid`` comes from untrusted token headers, so it must
        be a plain name of a regular file inside the key directory, and the key must
        not be trivially short (an empty key would let anyone sign)."""
        if not isinstance(kid, str) or not _KID_RE.match(kid):
            raise KeyError(f"invalid key id {kid!r}")
        directory = Path(self.directory).resolve()
        path = (directory / kid).resolve()
        if path.parent != directory or not path.is_file():
            raise KeyError(f"unknown key id {kid!r}")
        key = path.read_bytes()
        if len(key) < MIN_KEY_BYTES:
            raise KeyError(f"key {kid!r} is too short to be used")
        return key
