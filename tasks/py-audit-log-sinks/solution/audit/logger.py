"""The audit logger: builds redacted events and hands them to its sinks.

``AuditEvent`` and the redaction constants live in ``audit.events`` and the output
formats in ``audit.sinks``; they are re-exported here so existing imports work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from audit.events import REDACTED, SENSITIVE_KEYS, AuditEvent, redact
from audit.sinks import JsonLinesSink, MemorySink, Sink, TextSink

__all__ = ["MODES", "REDACTED", "SENSITIVE_KEYS", "AuditEvent", "AuditLogger"]

MODES = ("jsonl", "text", "memory")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _sink_for_mode(mode: str, path: str | Path | None, stream: TextIO | None) -> Sink:
    if mode not in MODES:
        raise ValueError(f"unknown audit mode {mode!r} (expected one of {', '.join(MODES)})")
    if mode == "jsonl":
        if path is None:
            raise ValueError("jsonl mode needs a path")
        return JsonLinesSink(path)
    if mode == "text":
        return TextSink(stream)
    return MemorySink()


class AuditLogger:
    """Send each event to every sink, in order.

    Either pass ``sinks`` (any objects with ``write``/``close``) or use the older
    ``mode``/``path``/``stream`` arguments, which build the matching single sink.
    """

    def __init__(
        self,
        mode: str = "memory",
        path: str | Path | None = None,
        stream: TextIO | None = None,
        app: str = "billing",
        clock: Callable[[], datetime] = _utc_now,
        sinks: Iterable[Sink] | None = None,
    ) -> None:
        self.sinks: list[Sink] = list(sinks) if sinks is not None else [_sink_for_mode(mode, path, stream)]
        self.mode = mode if sinks is None else "sinks"
        self.path = Path(path) if path is not None else None
        self.app = app
        self.clock = clock
        self.closed = False

    @property
    def records(self) -> list[AuditEvent]:
        """Events kept in memory (``mode="memory"`` or any ``MemorySink``)."""
        return [event for sink in self.sinks if isinstance(sink, MemorySink) for event in sink.events]

    def log(self, actor: str, action: str, target: str, outcome: str = "success", **metadata: Any) -> AuditEvent:
        """Record one event and return it (with sensitive metadata redacted)."""
        if self.closed:
            raise RuntimeError("audit logger is closed")
        event = AuditEvent(self.clock(), self.app, actor, action, target, outcome, redact(metadata))
        for sink in self.sinks:
            sink.write(event)
        return event

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for sink in self.sinks:
            sink.close()
