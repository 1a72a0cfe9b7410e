"""Input records from the billing export."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    region: str


@dataclass(frozen=True)
class Transaction:
    id: str
    customer_id: str
    amount_cents: int
    day: int  # day of month, 1..31
