"""Validate raw rows and turn them into ``Order`` records."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from etl.schema import Order, RawRow

KNOWN_CURRENCIES = frozenset({"EUR", "USD", "GBP", "CHF", "SEK"})


class RowError(ValueError):
    """The row is malformed; the message is the reason shown in the report."""


def parse_amount(text: str) -> Decimal:
    """Parse an amount such as ``1234.50`` or ``1,234.50``."""
    cleaned = text.replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise RowError(f"bad amount {text!r}") from exc
    if not amount.is_finite():
        raise RowError(f"bad amount {text!r}")
    return amount


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; naive values are taken as UTC. Returns UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RowError(f"bad timestamp {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def to_order(row: RawRow) -> Order:
    values = row.values
    order_id = values["order_id"]
    if not order_id:
        raise RowError("empty order_id")
    currency = values["currency"].upper()
    if currency not in KNOWN_CURRENCIES:
        raise RowError(f"unknown currency {values['currency']!r}")
    return Order(
        order_id=order_id,
        created_at=parse_timestamp(values["created_at"]),
        updated_at=parse_timestamp(values["updated_at"]),
        currency=currency,
        amount=parse_amount(values["amount"]),
        status=values["status"].lower(),
    )
