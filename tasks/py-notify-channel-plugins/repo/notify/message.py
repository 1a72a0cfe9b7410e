"""Notifications, delivery results and the errors callers see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class InvalidRecipient(ValueError):
    """The recipient is not a valid address for the channel."""


class UnknownChannel(ValueError):
    """No channel with that name is configured."""


@dataclass(frozen=True)
class Notification:
    channel: str
    recipient: str
    subject: str
    body: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryResult:
    channel: str
    recipient: str
    ok: bool
    attempts: int
    error: str | None = None
