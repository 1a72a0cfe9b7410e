"""Filename clean-up for customer uploads."""

from __future__ import annotations

import re
import unicodedata

ALLOWED_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".pdf", ".txt", ".log", ".csv", ".zip"})
MAX_LENGTH = 120
_SPACES = re.compile(r"\s+")


class UnsafeFilename(ValueError):
    """The filename cannot be stored (bad extension, empty, unsafe)."""


def clean_filename(name: str) -> str:
    """Return the name we store the upload under.

    Unicode is NFC-normalised, runs of whitespace become one underscore, the
    extension is lower-cased and must be on the allow-list, and overly long names
    are shortened (keeping the extension).
    """
    name = unicodedata.normalize("NFC", name).strip()
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
