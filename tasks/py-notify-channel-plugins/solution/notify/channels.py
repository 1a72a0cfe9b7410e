"""The channel interface and the built-in email, SMS and webhook channels.

A channel knows how to check a recipient, render a notification for its transport and
deliver it; it also says which delivery errors are worth retrying. The dispatcher owns
everything else (validation order, the retry loop, the outbox), so every channel --
built-in or registered by a caller -- gets exactly the same retry behaviour.
"""

from __future__ import annotations

import re
from typing import Any

from notify.message import InvalidRecipient, Notification
from notify.transports import (
    GatewayBusy,
    SmsGateway,
    SmtpClient,
    SmtpTemporaryError,
    WebhookError,
    WebhookPoster,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
SMS_LIMIT = 160


class TransientError(Exception):
    """Raise from `Channel.deliver` for a failure that may succeed if retried."""


class Channel:
    """Base class for delivery channels; subclass it and register with a Dispatcher."""

    name: str = ""

    def validate(self, recipient: str) -> None:
        """Raise InvalidRecipient if `recipient` cannot receive on this channel."""

    def render(self, notification: Notification) -> Any:
        """What to hand to `deliver` (also what `Dispatcher.preview` returns)."""
        raise NotImplementedError

    def deliver(self, recipient: str, rendered: Any) -> None:
        """Send; raise on failure."""
        raise NotImplementedError

    def is_transient(self, error: Exception) -> bool:
        """Whether a failure from `deliver` should be retried."""
        return isinstance(error, TransientError)


class EmailChannel(Channel):
    name = "email"

    def __init__(self, client: SmtpClient) -> None:
        self.client = client

    def validate(self, recipient: str) -> None:
        if not EMAIL.match(recipient):
            raise InvalidRecipient(f"not an email address: {recipient!r}")

    def render(self, n: Notification) -> str:
        headers = [f"From: {self.client.sender}", f"To: {n.recipient}", f"Subject: {n.subject}"]
        if "reply_to" in n.metadata:
            headers.append(f"Reply-To: {n.metadata['reply_to']}")
        return "\r\n".join(headers) + "\r\n\r\n" + n.body

    def deliver(self, recipient: str, rendered: Any) -> None:
        self.client.send(self.client.sender, recipient, rendered)

    def is_transient(self, error: Exception) -> bool:
        return isinstance(error, (SmtpTemporaryError, TransientError))


class SmsChannel(Channel):
    name = "sms"

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def validate(self, recipient: str) -> None:
        if not PHONE.match(recipient):
            raise InvalidRecipient(f"not an E.164 phone number: {recipient!r}")

    def render(self, n: Notification) -> str:
        text = f"{n.subject}: {n.body}" if n.subject else n.body
        return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 1] + "…"

    def deliver(self, recipient: str, rendered: Any) -> None:
        self.gateway.submit(recipient, rendered)

    def is_transient(self, error: Exception) -> bool:
        return isinstance(error, (GatewayBusy, TransientError))


class WebhookChannel(Channel):
    name = "webhook"

    def __init__(self, poster: WebhookPoster) -> None:
        self.poster = poster

    def validate(self, recipient: str) -> None:
        if not recipient.startswith("https://"):
            raise InvalidRecipient(f"webhooks must use https: {recipient!r}")

    def render(self, n: Notification) -> dict[str, Any]:
        return {"event": n.metadata.get("event", "notification"), "subject": n.subject, "body": n.body}

    def deliver(self, recipient: str, rendered: Any) -> None:
        self.poster.post(recipient, rendered)

    def is_transient(self, error: Exception) -> bool:
        if isinstance(error, WebhookError):
            return error.status == 429 or error.status >= 500
        return isinstance(error, TransientError)
