"""Where audit events go. A sink is any object with ``write(event)`` and ``close()``.

Sinks receive events whose metadata is already redacted, so a custom sink can
never leak a secret by forgetting to redact.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Protocol, TextIO

from audit.events import AuditEvent


class Sink(Protocol):
    def write(self, event: AuditEvent) -> None: ...

    def close(self) -> None: ...


class JsonLinesSink:
    """One JSON object per line, keys sorted; the file is opened on first write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._handle: TextIO | None = None

    def write(self, event: AuditEvent) -> None:
        record = {
            "ts": event.timestamp.isoformat(timespec="seconds"),
            "app": event.app,
            "actor": event.actor,
            "action": event.action,
            "target": event.target,
            "outcome": event.outcome,
            "meta": dict(event.metadata),
        }
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")
        self._handle.write(json.dumps(record, sort_keys=True, default=str) + "\n")
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class TextSink:
    """One human-readable line per event on a text stream (stdout by default)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout

    def write(self, event: AuditEvent) -> None:
        pairs = " ".join(f"{k}={v}" for k, v in sorted(event.metadata.items()))
        line = (
            f"{event.timestamp.isoformat(timespec='seconds')} {event.app} {event.outcome.upper()} "
            f"{event.actor} {event.action} {event.target}"
        )
        self.stream.write((line + " " + pairs).rstrip() + "\n")

    def close(self) -> None:
        """The stream belongs to the caller; leave it open."""


class MemorySink:
    """Keeps events in ``events`` (tests, the admin UI's recent-activity panel)."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def write(self, event: AuditEvent) -> None:
        self.events.append(event)

    def close(self) -> None:
        pass
