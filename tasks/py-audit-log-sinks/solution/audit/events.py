"""The audit event record and metadata redaction, shared by every sink."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SENSITIVE_KEYS = frozenset({"password", "token", "secret", "authorization", "api_key"})
REDACTED = "***"


@dataclass(frozen=True)
class AuditEvent:
    timestamp: datetime
    app: str
    actor: str
    action: str
    target: str
    outcome: str = "success"
    metadata: Mapping[str, Any] = field(default_factory=dict)


def redact(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Copy of ``metadata`` with sensitive values replaced; done once, before any sink."""
    return {key: (REDACTED if key.lower() in SENSITIVE_KEYS else value) for key, value in metadata.items()}
