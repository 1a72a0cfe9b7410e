"""Email / SMS / webhook notifications with retries."""

from notify.dispatcher import Dispatcher
from notify.message import DeliveryResult, InvalidRecipient, Notification, UnknownChannel
from notify.outbox import Outbox
from notify.retry import RetryPolicy

__all__ = [
    "DeliveryResult",
    "Dispatcher",
    "InvalidRecipient",
    "Notification",
    "Outbox",
    "RetryPolicy",
    "UnknownChannel",
]
