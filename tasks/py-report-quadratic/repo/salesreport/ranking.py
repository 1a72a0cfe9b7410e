"""Customer ranks and the top list."""

from __future__ import annotations


def competition_ranks(revenue: dict[str, int]) -> dict[str, int]:
    """Rank = 1 + number of customers with strictly more revenue (1, 2, 2, 4)."""
    ranks: dict[str, int] = {}
    for customer_id, amount in revenue.items():
        ranks[customer_id] = 1 + sum(1 for other in revenue.values() if other > amount)
    return ranks


def top_customers(revenue: dict[str, int], count: int) -> list[tuple[str, int]]:
    """The ``count`` best customers by revenue, ties broken by customer id."""
    remaining = dict(revenue)
    result: list[tuple[str, int]] = []
    while remaining and len(result) < count:
        best = min(remaining, key=lambda cid: (-remaining[cid], cid))
        result.append((best, remaining.pop(best)))
    return result
