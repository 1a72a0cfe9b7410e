"""Clients for the delivery services.

These stand in for the network clients and keep the same interfaces: they record what
they were asked to deliver, and `fail_next(*errors)` makes the next calls raise.
"""

from __future__ import annotations

from typing import Any


class SmtpTemporaryError(Exception):
    """SMTP 4xx: try again later."""


class SmtpPermanentError(Exception):
    """SMTP 5xx: the message will never be accepted."""


class GatewayBusy(Exception):
    """The SMS gateway is throttling us."""


class GatewayRejected(Exception):
    """The SMS gateway refused the message (bad number, blocked content...)."""


class WebhookError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"webhook answered HTTP {status}")
        self.status = status


class _Scripted:
    def __init__(self) -> None:
        self.sent: list[Any] = []
        self._failures: list[Exception] = []

    def fail_next(self, *errors: Exception) -> None:
        self._failures.extend(errors)

    def _maybe_fail(self) -> None:
        if self._failures:
            raise self._failures.pop(0)


class SmtpClient(_Scripted):
    def __init__(self, sender: str = "noreply@example.com") -> None:
        super().__init__()
        self.sender = sender

    def send(self, sender: str, to: str, raw_message: str) -> None:
        self._maybe_fail()
        self.sent.append((sender, to, raw_message))


class SmsGateway(_Scripted):
    def submit(self, number: str, text: str) -> str:
        self._maybe_fail()
        self.sent.append((number, text))
        return f"sms-{len(self.sent)}"


class WebhookPoster(_Scripted):
    def post(self, url: str, json_body: dict[str, Any]) -> int:
        self._maybe_fail()
        self.sent.append((url, json_body))
        return 204
