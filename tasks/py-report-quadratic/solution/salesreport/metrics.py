"""Revenue aggregates and order statistics."""

from __future__ import annotations

from salesreport.models import Customer, Transaction


def revenue_by_customer(customers: list[Customer], transactions: list[Transaction]) -> dict[str, int]:
    """Total cents per customer id (in customer-list order); no transactions -> 0.

    One pass over the transactions: a per-customer scan would be customers x
    transactions, which is hours for a real month.
    """
    revenue: dict[str, int] = {customer.id: 0 for customer in customers}
    for txn in transactions:
        if txn.customer_id in revenue:
            revenue[txn.customer_id] += txn.amount_cents
    return revenue


def revenue_by_region(customers: list[Customer], revenue: dict[str, int]) -> dict[str, int]:
    """Total cents per region, regions in alphabetical order."""
    totals: dict[str, int] = {}
    for customer in customers:
        totals[customer.region] = totals.get(customer.region, 0) + revenue[customer.id]
    return {region: totals[region] for region in sorted(totals)}


def median_order_value(transactions: list[Transaction]) -> float:
    """Median transaction amount in cents (mean of the middle two for even counts)."""
    if not transactions:
        return 0.0
    amounts = sorted(t.amount_cents for t in transactions)
    middle = len(amounts) // 2
    if len(amounts) % 2:
        return float(amounts[middle])
    return (amounts[middle - 1] + amounts[middle]) / 2
