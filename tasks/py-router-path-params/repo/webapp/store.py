"""In-memory note storage."""

from __future__ import annotations

import itertools
import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Note:
    id: int
    title: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class NoteStore:
    def __init__(self) -> None:
        self._notes: dict[int, Note] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def create(self, title: str, text: str) -> Note:
        with self._lock:
            note = Note(next(self._ids), title, text)
            self._notes[note.id] = note
            return note

    def get(self, note_id: int) -> Note | None:
        with self._lock:
            return self._notes.get(note_id)

    def delete(self, note_id: int) -> bool:
        with self._lock:
            return self._notes.pop(note_id, None) is not None

    def all(self) -> list[Note]:
        with self._lock:
            return sorted(self._notes.values(), key=lambda n: n.id)
