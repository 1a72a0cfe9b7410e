"""Customer ranks and the top list."""

from __future__ import annotations


def _by_revenue(revenue: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(revenue.items(), key=lambda item: (-item[1], item[0]))


def competition_ranks(revenue: dict[str, int]) -> dict[str, int]:
    """Rank = 1 + number of customers with strictly more revenue (1, 2, 2, 4).

    One sort instead of comparing every pair of customers.
    """
    ranks: dict[str, int] = {}
    previous: int | None = None
    rank = 0
    for position, (customer_id, amount) in enumerate(_by_revenue(revenue), start=1):
        if amount != previous:
            rank, previous = position, amount
        ranks[customer_id] = rank
    return {customer_id: ranks[customer_id] for customer_id in revenue}


def top_customers(revenue: dict[str, int], count: int) -> list[tuple[str, int]]:
    """The ``count`` best customers by revenue, ties broken by customer id."""
    if count <= 0:
        return []
    return _by_revenue(revenue)[:count]
