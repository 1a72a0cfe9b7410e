"""Input clean-up before any numbers are computed."""

from __future__ import annotations

from collections.abc import Iterable

from salesreport.models import Customer, Transaction


def dedupe_transactions(transactions: Iterable[Transaction]) -> list[Transaction]:
    """Drop repeated transaction ids, keeping the first occurrence, in input order."""
    seen: list[str] = []
    unique: list[Transaction] = []
    for txn in transactions:
        if txn.id in seen:
            continue
        seen.append(txn.id)
        unique.append(txn)
    return unique


def known_customer_transactions(customers: list[Customer], transactions: list[Transaction]) -> list[Transaction]:
    """Keep only transactions whose customer is in the customer list."""
    ids = [customer.id for customer in customers]
    return [txn for txn in transactions if txn.customer_id in ids]
