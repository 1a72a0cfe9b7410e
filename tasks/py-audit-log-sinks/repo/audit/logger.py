"""The audit logger and its event record."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

SENSITIVE_KEYS = frozenset({"password", "token", "secret", "authorization", "api_key"})
REDACTED = "***"
MODES = ("jsonl", "text", "memory")


@dataclass(frozen=True)
class AuditEvent:
    timestamp: datetime
    app: str
    actor: str
    action: str
    target: str
    outcome: str = "success"
    metadata: Mapping[str, Any] = field(default_factory=dict)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AuditLogger:
    def __init__(
        self,
        mode: str = "memory",
        path: str | Path | None = None,
        stream: TextIO | None = None,
        app: str = "billing",
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown audit mode {mode!r} (expected one of {', '.join(MODES)})")
        if mode == "jsonl" and path is None:
            raise ValueError("jsonl mode needs a path")
        self.mode = mode
        self.path = Path(path) if path is not None else None
        self.stream = stream if stream is not None else sys.stdout
        self.app = app
        self.clock = clock
        self.records: list[AuditEvent] = []
        self._handle: TextIO | None = None
        self.closed = False

    def log(self, actor: str, action: str, target: str, outcome: str = "success", **metadata: Any) -> AuditEvent:
        """Record one event and return it (with sensitive metadata redacted)."""
        if self.closed:
            raise RuntimeError("audit logger is closed")
        timestamp = self.clock()
        if self.mode == "jsonl":
            meta = {k: (REDACTED if k.lower() in SENSITIVE_KEYS else v) for k, v in metadata.items()}
            record = {
                "ts": timestamp.isoformat(timespec="seconds"),
                "app": self.app,
                "actor": actor,
                "action": action,
                "target": target,
                "outcome": outcome,
                "meta": meta,
            }
            if self._handle is None:
                assert self.path is not None
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "a", encoding="utf-8")
            self._handle.write(json.dumps(record, sort_keys=True, default=str) + "\n")
            self._handle.flush()
            return AuditEvent(timestamp, self.app, actor, action, target, outcome, meta)
        if self.mode == "text":
            meta = {k: (REDACTED if k.lower() in SENSITIVE_KEYS else v) for k, v in metadata.items()}
            pairs = " ".join(f"{k}={v}" for k, v in sorted(meta.items()))
            line = f"{timestamp.isoformat(timespec='seconds')} {self.app} {outcome.upper()} {actor} {action} {target}"
            self.stream.write((line + " " + pairs).rstrip() + "\n")
            return AuditEvent(timestamp, self.app, actor, action, target, outcome, meta)
        meta = {k: (REDACTED if k.lower() in SENSITIVE_KEYS else v) for k, v in metadata.items()}
        event = AuditEvent(timestamp, self.app, actor, action, target, outcome, meta)
        self.records.append(event)
        return event

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.closed = True
