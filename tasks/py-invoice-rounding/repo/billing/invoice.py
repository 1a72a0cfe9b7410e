"""Invoices and their line items.

Each line is rounded on its own (net and tax), and the invoice totals are sums of
the rounded line amounts. That is what customers see printed, so it is what we bill.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from billing.money import AmountLike, round_money, sum_money, to_money
from billing.tax import tax_on


@dataclass
class LineItem:
    """One invoice line: ``quantity`` units at ``unit_price`` (net, before tax)."""

    description: str
    quantity: int
    unit_price: AmountLike
    category: str = "standard"
    discount_percent: AmountLike = 0

    def __post_init__(self) -> None:
        if self.quantity == 0:
            raise ValueError("a line needs a non-zero quantity")
        self.unit_price = to_money(self.unit_price)
        self.discount_percent = to_money(self.discount_percent)
        if not Decimal(0) <= self.discount_percent <= Decimal(100):
            raise ValueError("discount_percent must be between 0 and 100")

    def net(self) -> Decimal:
        """Net amount for the line after its discount, rounded to cents."""
        gross = Decimal(self.quantity) * Decimal(self.unit_price)
        factor = (Decimal(100) - Decimal(self.discount_percent)) / Decimal(100)
        return round_money(gross * factor)


@dataclass
class Invoice:
    """An invoice (or a credit note, when lines have negative quantities)."""

    number: str
    customer: str
    region: str
    currency: str = "EUR"
    lines: list[LineItem] = field(default_factory=list)

    def add(self, line: LineItem) -> None:
        self.lines.append(line)

    def line_tax(self, line: LineItem) -> Decimal:
        return tax_on(line.net(), self.region, line.category)

    def subtotal(self) -> Decimal:
        return sum_money([line.net() for line in self.lines])

    def tax(self) -> Decimal:
        return sum_money([self.line_tax(line) for line in self.lines])

    def total(self) -> Decimal:
        return self.subtotal() + self.tax()

    def is_credit_note(self) -> bool:
        return self.total() < 0
