"""Filename clean-up for customer uploads."""

from __future__ import annotations

import re
import unicodedata

ALLOWED_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".pdf", ".txt", ".log", ".csv", ".zip"})
MAX_LENGTH = 120
_SPACES = re.compile(r"\s+")
_PATH_SEPARATORS = re.compile(r"[/\\]")


class UnsafeFilename(ValueError):
    """The filename cannot be stored (bad extension, empty, unsafe)."""


def clean_filename(name: str) -> str:
    """Return the name we store the upload under.

    Unicode is NFC-normalised, runs of whitespace become one underscore, the
    extension is lower-cased and must be on the allow-list, and overly long names
    are shortened (keeping the extension). Browsers and scripts may send a whole
    client-side path (``C:\\Users\\me\\a.pdf``, ``../../a.pdf``): only its last
    component is kept, so the result never contains a path separator.
    """
    check_component(name)
    name = unicodedata.normalize("NFC", name)
    name = _PATH_SEPARATORS.split(name)[-1].strip()
    name = _SPACES.sub("_", name)
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        raise UnsafeFilename(f"{name!r} has no extension")
    ext = "." + ext.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise UnsafeFilename(f"extension {ext!r} is not allowed")
    if len(stem) + len(ext) > MAX_LENGTH:
        stem = stem[: MAX_LENGTH - len(ext)]
    return stem + ext


def check_component(name: str) -> None:
    """Reject control characters (NUL, newlines), which no legitimate name needs."""
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise UnsafeFilename(f"{name!r} contains control characters")


def is_plain_name(name: str) -> bool:
    """True if ``name`` is a single path component that stays in its directory."""
    if not name or name in (".", "..") or _PATH_SEPARATORS.search(name):
        return False
    return not any(ord(char) < 32 or ord(char) == 127 for char in name)
