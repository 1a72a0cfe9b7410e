import pytest

from notify import Dispatcher, InvalidRecipient, Notification, Outbox, RetryPolicy, UnknownChannel
from notify.transports import (
    GatewayBusy, GatewayRejected, SmsGateway, SmtpClient, SmtpPermanentError, SmtpTemporaryError,
    WebhookError, WebhookPoster,
)


def new_push_channel():
    """A custom channel, defined the way a team outside this package would."""
    from notify.channels import Channel

    class PushChannel(Channel):
        name = "push"

        def __init__(self):
            self.delivered = []
            self.script = []

        def validate(self, recipient):
            if not recipient.startswith("device:"):
                raise InvalidRecipient(f"not a device token: {recipient}")

        def render(self, notification):
            return {"title": notification.subject, "alert": notification.body[:20]}

        def deliver(self, recipient, rendered):
            if self.script:
                raise self.script.pop(0)
            self.delivered.append((recipient, rendered))

    return PushChannel()


def make(**kwargs):
    sleeps = []
    transports = {"smtp": SmtpClient("bot@example.com"), "sms": SmsGateway(), "webhook": WebhookPoster()}
    dispatcher = Dispatcher(**transports, retry=RetryPolicy(max_attempts=3, base_delay=1.5, sleep=sleeps.append), **kwargs)
    return dispatcher, transports, sleeps


def test_custom_channel_can_be_registered_and_used():
    dispatcher, _, sleeps = make()
    push = new_push_channel()
    dispatcher.register(push)
    assert dispatcher.channels() == ["email", "push", "sms", "webhook"]
    note = Notification("push", "device:abc", "Order shipped", "Your order #42 is on its way")
    assert dispatcher.preview(note) == {"title": "Order shipped", "alert": "Your order #42 is on"}
    result = dispatcher.send(note)
    assert (result.channel, result.ok, result.attempts, result.error) == ("push", True, 1, None)
    assert push.delivered == [("device:abc", {"title": "Order shipped", "alert": "Your order #42 is on"})]
    assert dispatcher.outbox.results == [result]
    with pytest.raises(InvalidRecipient):
        dispatcher.send(Notification("push", "+4915112345678", "x", "y"))
    assert sleeps == []


def test_custom_channel_gets_the_standard_retries():
    from notify.channels import TransientError

    dispatcher, _, sleeps = make()
    push = new_push_channel()
    dispatcher.register(push)
    push.script = [TransientError("apns busy"), TransientError("apns busy again")]
    ok = dispatcher.send(Notification("push", "device:1", "s", "b"))
    assert (ok.ok, ok.attempts) == (True, 3)
    assert sleeps == [1.5, 3.0]
    push.script = [TransientError("down")] * 3
    failed = dispatcher.send(Notification("push", "device:1", "s", "b"))
    assert (failed.ok, failed.attempts, failed.error) == (False, 3, "TransientError: down")
    push.script = [RuntimeError("token revoked")]
    permanent = dispatcher.send(Notification("push", "device:1", "s", "b"))
    assert (permanent.ok, permanent.attempts, permanent.error) == (False, 1, "RuntimeError: token revoked")
    assert sleeps == [1.5, 3.0, 1.5, 3.0]
    assert [r.ok for r in dispatcher.outbox.failures()] == [False, False]


def test_channels_can_be_passed_to_the_constructor_and_replace_builtins():
    from notify.channels import SmsChannel

    class QuietSms(SmsChannel):
        def render(self, n):
            return n.body.upper()

    gateway = SmsGateway()
    push = new_push_channel()
    dispatcher = Dispatcher(sms=SmsGateway(), channels=[push, QuietSms(gateway)], retry=RetryPolicy(sleep=lambda s: None))
    assert dispatcher.channels() == ["push", "sms"]
    dispatcher.send(Notification("sms", "+4915112345678", "", "hello"))
    assert gateway.sent == [("+4915112345678", "HELLO")]
    with pytest.raises(UnknownChannel):
        dispatcher.send(Notification("email", "a@example.com", "s", "b"))


def test_builtin_channels_are_channel_objects():
    from notify.channels import Channel, EmailChannel, SmsChannel, WebhookChannel

    assert issubclass(EmailChannel, Channel) and issubclass(SmsChannel, Channel) and issubclass(WebhookChannel, Channel)
    gateway = SmsGateway()
    dispatcher = Dispatcher(retry=RetryPolicy(sleep=lambda s: None))
    dispatcher.register(SmsChannel(gateway))
    gateway.fail_next(GatewayBusy("slow down"))
    result = dispatcher.send(Notification("sms", "+14155550100", "Code", "123456"))
    assert (result.ok, result.attempts) == (True, 2)
    assert gateway.sent == [("+14155550100", "Code: 123456")]
