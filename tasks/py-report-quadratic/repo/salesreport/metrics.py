"""Revenue aggregates and order statistics."""

from __future__ import annotations

from salesreport.models import Customer, Transaction


def revenue_by_customer(customers: list[Customer], transactions: list[Transaction]) -> dict[str, int]:
    """Total cents per customer id; customers without transactions get 0."""
    revenue: dict[str, int] = {}
    for customer in customers:
        revenue[customer.id] = sum(t.amount_cents for t in transactions if t.customer_id == customer.id)
    return revenue


def revenue_by_region(customers: list[Customer], revenue: dict[str, int]) -> dict[str, int]:
    """Total cents per region, regions in alphabetical order."""
    regions = sorted({customer.region for customer in customers})
    return {region: sum(revenue[c.id] for c in customers if c.region == region) for region in regions}


def median_order_value(transactions: list[Transaction]) -> float:
    """Median transaction amount in cents (mean of the middle two for even counts)."""
    if not transactions:
        return 0.0
    amounts = sorted(t.amount_cents for t in transactions)
    middle = len(amounts) // 2
    if len(amounts) % 2:
        return float(amounts[middle])
    return (amounts[middle - 1] + amounts[middle]) / 2
