"""Store attachments on disk under one root directory."""

from __future__ import annotations

import re
from pathlib import Path

from uploads.sanitize import UnsafeFilename, clean_filename

_TICKET_RE = re.compile(r"^T-[0-9]{1,10}$")


class UploadStore:
    """Files live at ``root/<ticket>/<name>``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _ticket_dir(self, ticket: str) -> Path:
        if not _TICKET_RE.match(ticket):
            raise UnsafeFilename(f"bad ticket id {ticket!r}")
        return self.root / ticket

    def path_for(self, ticket: str, name: str) -> Path:
        return self._ticket_dir(ticket) / name

    def save(self, ticket: str, filename: str, body: bytes) -> Path:
        """Store ``body`` under the cleaned ``filename``; return the file's path."""
        target = self.path_for(ticket, clean_filename(filename))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        return target

    def read(self, ticket: str, name: str) -> bytes:
        return self.path_for(ticket, name).read_bytes()

    def delete(self, ticket: str, name: str) -> None:
        self.path_for(ticket, name).unlink()

    def list(self, ticket: str) -> list[str]:
        folder = self._ticket_dir(ticket)
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file())
