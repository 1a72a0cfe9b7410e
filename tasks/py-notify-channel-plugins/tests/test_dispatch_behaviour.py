import pytest

from notify import Dispatcher, InvalidRecipient, Notification, Outbox, RetryPolicy, UnknownChannel
from notify.transports import (
    GatewayBusy, GatewayRejected, SmsGateway, SmtpClient, SmtpPermanentError, SmtpTemporaryError,
    WebhookError, WebhookPoster,
)


def make(**kwargs):
    sleeps = []
    transports = {"smtp": SmtpClient("bot@example.com"), "sms": SmsGateway(), "webhook": WebhookPoster()}
    dispatcher = Dispatcher(**transports, retry=RetryPolicy(max_attempts=3, base_delay=1.5, sleep=sleeps.append), **kwargs)
    return dispatcher, transports, sleeps


def test_email_rendering_retries_and_permanent_failures():
    dispatcher, t, sleeps = make()
    note = Notification("email", "ana@example.com", "Welcome", "Hi Ana!", {"reply_to": "help@example.com"})
    assert dispatcher.preview(note) == (
        "From: bot@example.com\r\nTo: ana@example.com\r\nSubject: Welcome\r\nReply-To: help@example.com\r\n\r\nHi Ana!"
    )
    t["smtp"].fail_next(SmtpTemporaryError("421 try later"))
    assert dispatcher.send(note).attempts == 2
    t["smtp"].fail_next(SmtpPermanentError("550 no such user"))
    failed = dispatcher.send(note)
    assert (failed.ok, failed.attempts, failed.error) == (False, 1, "SmtpPermanentError: 550 no such user")
    assert sleeps == [1.5]
    assert len(t["smtp"].sent) == 1


def test_sms_and_webhook_behaviour():
    dispatcher, t, sleeps = make()
    long_text = Notification("sms", "+4915112345678", "Alert", "x" * 300)
    rendered = dispatcher.preview(long_text)
    assert len(rendered) == 160 and rendered.endswith("…") and rendered.startswith("Alert: xxx")
    t["sms"].fail_next(GatewayBusy("busy"), GatewayBusy("busy"), GatewayBusy("busy"))
    assert dispatcher.send(long_text).error == "GatewayBusy: busy"
    t["sms"].fail_next(GatewayRejected("blocked"))
    assert dispatcher.send(long_text).attempts == 1
    hook = Notification("webhook", "https://hooks.example.com/x", "Paid", "Invoice 7", {"event": "invoice.paid"})
    assert dispatcher.preview(hook) == {"event": "invoice.paid", "subject": "Paid", "body": "Invoice 7"}
    t["webhook"].fail_next(WebhookError(503), WebhookError(429))
    assert dispatcher.send(hook).attempts == 3
    t["webhook"].fail_next(WebhookError(404))
    assert dispatcher.send(hook).error == "WebhookError: webhook answered HTTP 404"
    assert sleeps == [1.5, 3.0, 1.5, 3.0]
    assert dispatcher.outbox.by_channel() == {"sms": 2, "webhook": 2}


def test_validation_and_unknown_channels():
    dispatcher, t, _ = make()
    for bad in (
        Notification("email", "not-an-address", "s", "b"),
        Notification("sms", "0151 123", "s", "b"),
        Notification("webhook", "http://insecure.example.com", "s", "b"),
    ):
        with pytest.raises(InvalidRecipient):
            dispatcher.send(bad)
    with pytest.raises(UnknownChannel):
        dispatcher.preview(Notification("fax", "123", "s", "b"))
    only_mail = Dispatcher(smtp=SmtpClient())
    assert only_mail.channels() == ["email"]
    with pytest.raises(UnknownChannel):
        only_mail.send(Notification("sms", "+4915112345678", "s", "b"))
    assert dispatcher.outbox.results == [] and isinstance(dispatcher.outbox, Outbox)
