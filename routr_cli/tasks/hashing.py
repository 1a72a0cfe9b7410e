"""Content hash of a task folder: every result records which version of a task it graded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from routr_cli.tasks.model import iter_files
from routr_cli.tasks.proof import strip_record


def task_hash(folder: Path) -> str:
    """sha256 over (relative path, bytes) of every file, in sorted order; 16 hex chars.

    task.toml counts without its ``[validated]`` table (``proof.strip_record``): the
    record names this hash, so writing it must not change it.
    """
    h = hashlib.sha256()
    for p in iter_files(folder):
        rel = p.relative_to(folder).as_posix()
        data = p.read_bytes()
        if rel == "task.toml":
            text = data.decode("utf-8", "surrogateescape")
            data = strip_record(text).encode("utf-8", "surrogateescape")
        h.update(rel.encode())
        h.update(b"\0")
        h.update(data)
        h.update(b"\0")
    return h.hexdigest()[:16]
