"""Content hash of a task folder: every result records which version of a task it graded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from routr_cli.tasks.model import iter_files


def task_hash(folder: Path) -> str:
    """sha256 over (relative path, bytes) of every file, in sorted order; 16 hex chars."""
    h = hashlib.sha256()
    for p in iter_files(folder):
        h.update(p.relative_to(folder).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]
