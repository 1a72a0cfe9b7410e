"""Overdue fines: a daily rate after a grace period, capped per loan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

DAILY_RATE = Decimal("0.25")
GRACE_DAYS = 2
CAP = Decimal("10.00")


def fine_for(due: date, returned: date) -> Decimal:
    late_days = (returned - due).days
    if late_days <= GRACE_DAYS:
        return Decimal("0.00")
    return min(CAP, DAILY_RATE * late_days).quantize(Decimal("0.01"))
