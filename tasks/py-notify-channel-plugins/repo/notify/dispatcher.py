"""The dispatcher: validate, render and deliver notifications, with retries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from notify.message import DeliveryResult, InvalidRecipient, Notification, UnknownChannel
from notify.outbox import Outbox
from notify.retry import RetryPolicy
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


class Dispatcher:
    def __init__(
        self,
        smtp: SmtpClient | None = None,
        sms: SmsGateway | None = None,
        webhook: WebhookPoster | None = None,
        retry: RetryPolicy | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self.smtp = smtp
        self.sms = sms
        self.webhook = webhook
        self.retry = retry or RetryPolicy()
        self.outbox = outbox or Outbox()

    def channels(self) -> list[str]:
        configured = {"email": self.smtp, "sms": self.sms, "webhook": self.webhook}
        return sorted(name for name, client in configured.items() if client is not None)

    def validate(self, notification: Notification) -> None:
        channel, recipient = notification.channel, notification.recipient
        if channel == "email" and self.smtp is not None:
            if not EMAIL.match(recipient):
                raise InvalidRecipient(f"not an email address: {recipient!r}")
        elif channel == "sms" and self.sms is not None:
            if not PHONE.match(recipient):
                raise InvalidRecipient(f"not an E.164 phone number: {recipient!r}")
        elif channel == "webhook" and self.webhook is not None:
            if not recipient.startswith("https://"):
                raise InvalidRecipient(f"webhooks must use https: {recipient!r}")
        else:
            raise UnknownChannel(f"no channel {channel!r} (configured: {', '.join(self.channels())})")

    def preview(self, notification: Notification) -> Any:
        """What `send` would hand to the transport, without sending it."""
        self.validate(notification)
        if notification.channel == "email":
            return self._render_email(notification)
        if notification.channel == "sms":
            return self._render_sms(notification)
        return self._render_webhook(notification)

    def _render_email(self, n: Notification) -> str:
        assert self.smtp is not None
        headers = [f"From: {self.smtp.sender}", f"To: {n.recipient}", f"Subject: {n.subject}"]
        if "reply_to" in n.metadata:
            headers.append(f"Reply-To: {n.metadata['reply_to']}")
        return "\r\n".join(headers) + "\r\n\r\n" + n.body

    def _render_sms(self, n: Notification) -> str:
        text = f"{n.subject}: {n.body}" if n.subject else n.body
        return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 1] + "…"

    def _render_webhook(self, n: Notification) -> dict[str, Any]:
        return {"event": n.metadata.get("event", "notification"), "subject": n.subject, "body": n.body}

    def send(self, notification: Notification) -> DeliveryResult:
        self.validate(notification)
        if notification.channel == "email":
            result = self._send_email(notification)
        elif notification.channel == "sms":
            result = self._send_sms(notification)
        else:
            result = self._send_webhook(notification)
        self.outbox.record(result)
        return result

    def send_many(self, notifications: Iterable[Notification]) -> list[DeliveryResult]:
        return [self.send(n) for n in notifications]

    def _send_email(self, n: Notification) -> DeliveryResult:
        assert self.smtp is not None
        raw = self._render_email(n)
        attempt = 0
        while True:
            attempt += 1
            try:
                self.smtp.send(self.smtp.sender, n.recipient, raw)
                return DeliveryResult("email", n.recipient, True, attempt)
            except SmtpTemporaryError as exc:
                if attempt >= self.retry.max_attempts:
                    return DeliveryResult("email", n.recipient, False, attempt, f"{type(exc).__name__}: {exc}")
                self.retry.sleep(self.retry.delay_after(attempt))
            except Exception as exc:
                return DeliveryResult("email", n.recipient, False, attempt, f"{type(exc).__name__}: {exc}")

    def _send_sms(self, n: Notification) -> DeliveryResult:
        assert self.sms is not None
        text = self._render_sms(n)
        attempt = 0
        while True:
            attempt += 1
            try:
                self.sms.submit(n.recipient, text)
                return DeliveryResult("sms", n.recipient, True, attempt)
            except GatewayBusy as exc:
                if attempt >= self.retry.max_attempts:
                    return DeliveryResult("sms", n.recipient, False, attempt, f"{type(exc).__name__}: {exc}")
                self.retry.sleep(self.retry.base_delay * 2 ** (attempt - 1))
            except Exception as exc:
                return DeliveryResult("sms", n.recipient, False, attempt, f"{type(exc).__name__}: {exc}")

    def _send_webhook(self, n: Notification) -> DeliveryResult:
        assert self.webhook is not None
        body = self._render_webhook(n)
        attempt = 0
        while True:
            attempt += 1
            try:
                self.webhook.post(n.recipient, body)
                return DeliveryResult("webhook", n.recipient, True, attempt)
            except WebhookError as exc:
                transient = exc.status == 429 or exc.status >= 500
                if not transient or attempt >= self.retry.max_attempts:
                    return DeliveryResult("webhook", n.recipient, False, attempt, f"{type(exc).__name__}: {exc}")
                self.retry.sleep(self.retry.delay_after(attempt))
            except Exception as exc:
                return DeliveryResult("webhook", n.recipient, False, attempt, f"{type(exc).__name__}: {exc}")
