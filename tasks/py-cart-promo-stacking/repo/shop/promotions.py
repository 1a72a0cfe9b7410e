"""Promotion rules. Each rule looks at the priced lines and returns adjustments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from shop.catalog import normalise_sku


@dataclass(frozen=True)
class PricedLine:
    sku: str
    name: str
    category: str
    unit_cents: int
    quantity: int
    discount_cents: int = 0

    @property
    def subtotal_cents(self) -> int:
        return self.unit_cents * self.quantity

    @property
    def net_cents(self) -> int:
        """What is left to pay for this line after the discounts so far."""
        return self.subtotal_cents - self.discount_cents


@dataclass(frozen=True)
class Adjustment:
    promotion: str
    sku: str | None  # None: an order-level discount
    amount_cents: int


class Promotion(Protocol):
    name: str
    priority: int
    code: str | None

    def apply(self, lines: Sequence[PricedLine]) -> list[Adjustment]: ...


@dataclass(frozen=True)
class BuyXGetY:
    """Every ``buy + free`` units of ``sku``, ``free`` of them cost nothing."""

    sku: str
    buy: int
    free: int
    priority: int = 10
    code: str | None = None

    @property
    def name(self) -> str:
        return f"buy {self.buy} get {self.free} {normalise_sku(self.sku)}"

    def apply(self, lines: Sequence[PricedLine]) -> list[Adjustment]:
        out = []
        for line in lines:
            if line.sku != normalise_sku(self.sku):
                continue
            free_units = (line.quantity // (self.buy + self.free)) * self.free
            amount = min(free_units * line.unit_cents, line.net_cents)
            if amount > 0:
                out.append(Adjustment(self.name, line.sku, amount))
        return out


@dataclass(frozen=True)
class CategoryPercent:
    """``percent`` off every line in ``category``."""

    category: str
    percent: int
    priority: int = 20
    code: str | None = None

    @property
    def name(self) -> str:
        return f"{self.percent}% off {self.category}"

    def apply(self, lines: Sequence[PricedLine]) -> list[Adjustment]:
        out = []
        for line in lines:
            if line.category != self.category or line.net_cents <= 0:
                continue
            raw = Decimal(line.net_cents) * Decimal(self.percent) / Decimal(100)
            amount = int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if amount > 0:
                out.append(Adjustment(self.name, line.sku, min(amount, line.net_cents)))
        return out


@dataclass(frozen=True)
class OrderAmountOff:
    """``amount_cents`` off the order when what is left to pay reaches ``threshold_cents``."""

    amount_cents: int
    threshold_cents: int = 0
    priority: int = 30
    code: str | None = None

    @property
    def name(self) -> str:
        return f"{self.amount_cents / 100:.2f} off" + (f" ({self.code})" if self.code else "")

    def apply(self, lines: Sequence[PricedLine]) -> list[Adjustment]:
        remaining = sum(line.net_cents for line in lines)
        if remaining <= 0 or remaining < self.threshold_cents:
            return []
        return [Adjustment(self.name, None, min(self.amount_cents, remaining))]
