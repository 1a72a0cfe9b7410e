"""Monetary amount helpers.

All amounts in the billing package are ``Decimal`` values with exactly two decimal
places. Callers may pass ``int``, ``str`` or ``Decimal``; floats are rejected because
they cannot represent most cent values exactly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Union

CENT = Decimal("0.01")
AmountLike = Union[int, str, Decimal]


class MoneyError(ValueError):
    """Raised for values that cannot be used as a monetary amount."""


def to_money(value: AmountLike) -> Decimal:
    """Convert ``value`` to a ``Decimal`` without rounding it."""
    if isinstance(value, float):
        raise MoneyError("floats are not accepted as money; pass a str or Decimal")
    if isinstance(value, bool):
        raise MoneyError("booleans are not money")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"not a monetary amount: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    return amount


def round_money(value: AmountLike) -> Decimal:
    """Round an amount to whole cents for display and storage."""
    amount = to_money(value)
    return Decimal(str(round(float(amount), 2))).quantize(CENT)


def sum_money(values: list[Decimal]) -> Decimal:
    """Sum already-rounded amounts, returning a two-place ``Decimal``."""
    total = Decimal("0")
    for value in values:
        total += value
    return total.quantize(CENT)


def format_money(value: Decimal, currency: str = "EUR") -> str:
    """Format an amount as ``1,234.50 EUR``; negatives get a leading minus."""
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,.2f} {currency}"
