"""The dispatcher: validate, render and deliver notifications through channels, with retries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from notify.channels import Channel, EmailChannel, SmsChannel, WebhookChannel
from notify.message import DeliveryResult, Notification, UnknownChannel
from notify.outbox import Outbox
from notify.retry import RetryPolicy
from notify.transports import SmsGateway, SmtpClient, WebhookPoster


class Dispatcher:
    """Routes each notification to the channel named by `notification.channel`.

    The transport keyword arguments register the built-in channels, as before; more
    channels come from `channels=` or `register()`. A channel registered under an
    existing name replaces it.
    """

    def __init__(
        self,
        smtp: SmtpClient | None = None,
        sms: SmsGateway | None = None,
        webhook: WebhookPoster | None = None,
        retry: RetryPolicy | None = None,
        outbox: Outbox | None = None,
        channels: Iterable[Channel] = (),
    ) -> None:
        self.smtp = smtp
        self.sms = sms
        self.webhook = webhook
        self.retry = retry or RetryPolicy()
        self.outbox = outbox or Outbox()
        self._channels: dict[str, Channel] = {}
        if smtp is not None:
            self.register(EmailChannel(smtp))
        if sms is not None:
            self.register(SmsChannel(sms))
        if webhook is not None:
            self.register(WebhookChannel(webhook))
        for channel in channels:
            self.register(channel)

    def register(self, channel: Channel) -> None:
        if not channel.name:
            raise ValueError("a channel needs a non-empty name")
        self._channels[channel.name] = channel

    def channels(self) -> list[str]:
        return sorted(self._channels)

    def channel(self, name: str) -> Channel:
        try:
            return self._channels[name]
        except KeyError:
            raise UnknownChannel(f"no channel {name!r} (configured: {', '.join(self.channels())})") from None

    def validate(self, notification: Notification) -> None:
        self.channel(notification.channel).validate(notification.recipient)

    def preview(self, notification: Notification) -> Any:
        """What `send` would hand to the transport, without sending it."""
        channel = self.channel(notification.channel)
        channel.validate(notification.recipient)
        return channel.render(notification)

    def send(self, notification: Notification) -> DeliveryResult:
        channel = self.channel(notification.channel)
        channel.validate(notification.recipient)
        result = self._deliver(channel, notification)
        self.outbox.record(result)
        return result

    def send_many(self, notifications: Iterable[Notification]) -> list[DeliveryResult]:
        return [self.send(n) for n in notifications]

    def _deliver(self, channel: Channel, n: Notification) -> DeliveryResult:
        rendered = channel.render(n)
        attempt = 0
        while True:
            attempt += 1
            try:
                channel.deliver(n.recipient, rendered)
                return DeliveryResult(channel.name, n.recipient, True, attempt)
            except Exception as exc:  # every failure becomes a result, never an exception
                error = f"{type(exc).__name__}: {exc}"
                if not channel.is_transient(exc) or attempt >= self.retry.max_attempts:
                    return DeliveryResult(channel.name, n.recipient, False, attempt, error)
                self.retry.sleep(self.retry.delay_after(attempt))
