"""Group orders into revenue per UTC day and currency."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from etl.schema import REVENUE_STATUSES, DailyTotal, Order


def daily_totals(orders: Iterable[Order]) -> list[DailyTotal]:
    """Sum paid/shipped orders by (creation day, currency), sorted by day then currency."""
    revenue: dict[tuple[date, str], Decimal] = {}
    counts: dict[tuple[date, str], int] = {}
    for order in orders:
        if order.status not in REVENUE_STATUSES:
            continue
        key = (order.created_at.date(), order.currency)
        revenue[key] = revenue.get(key, Decimal("0")) + order.amount
        counts[key] = counts.get(key, 0) + 1
    return [
        DailyTotal(day=day, currency=currency, revenue=revenue[(day, currency)], orders=counts[(day, currency)])
        for day, currency in sorted(revenue)
    ]
