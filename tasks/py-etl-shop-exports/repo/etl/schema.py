"""Record types shared by the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

REQUIRED_COLUMNS = ("order_id", "created_at", "updated_at", "currency", "amount", "status")
REVENUE_STATUSES = frozenset({"paid", "shipped"})


@dataclass(frozen=True)
class RawRow:
    """One data line of an export, before validation."""

    source: Path
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Order:
    order_id: str
    created_at: datetime
    updated_at: datetime
    currency: str
    amount: Decimal
    status: str


@dataclass(frozen=True)
class DailyTotal:
    day: date
    currency: str
    revenue: Decimal
    orders: int


@dataclass(frozen=True)
class Rejection:
    source: Path
    line: int
    reason: str


@dataclass
class RunReport:
    rows_read: int = 0
    orders_used: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    totals: list[DailyTotal] = field(default_factory=list)
