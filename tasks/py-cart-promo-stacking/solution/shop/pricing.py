"""Price a cart: look up products, run promotions, total up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from shop.cart import Cart
from shop.catalog import Catalog
from shop.promotions import Adjustment, PricedLine, Promotion


@dataclass
class Receipt:
    lines: list[PricedLine]
    adjustments: list[Adjustment] = field(default_factory=list)
    order_discount_cents: int = 0

    @property
    def subtotal_cents(self) -> int:
        return sum(line.subtotal_cents for line in self.lines)

    @property
    def discount_cents(self) -> int:
        return sum(a.amount_cents for a in self.adjustments)

    @property
    def total_cents(self) -> int:
        return max(0, sum(line.net_cents for line in self.lines) - self.order_discount_cents)


def _active(promotions: Sequence[Promotion], coupon: str | None) -> list[Promotion]:
    entered = coupon.strip().upper() if coupon else None
    return [p for p in promotions if p.code is None or p.code.strip().upper() == entered]


def _apply(lines: list[PricedLine], adjustments: list[Adjustment]) -> tuple[list[PricedLine], int]:
    """Fold line-level adjustments into the lines; return them and the order-level sum."""
    by_sku: dict[str, int] = {}
    order_level = 0
    for adj in adjustments:
        if adj.sku is None:
            order_level += adj.amount_cents
        else:
            by_sku[adj.sku] = by_sku.get(adj.sku, 0) + adj.amount_cents
    updated = [
        replace(line, discount_cents=min(line.subtotal_cents, line.discount_cents + by_sku.get(line.sku, 0)))
        for line in lines
    ]
    return updated, order_level


def price_cart(
    cart: Cart, catalog: Catalog, promotions: Sequence[Promotion] = (), coupon: str | None = None
) -> Receipt:
    lines = []
    for cart_line in cart.lines:
        product = catalog.get(cart_line.sku)
        lines.append(PricedLine(product.sku, product.name, product.category, product.price_cents, cart_line.quantity))
    receipt = Receipt(lines=list(lines))
    current = lines
    for promotion in sorted(_active(promotions, coupon), key=lambda p: p.priority):
        # Each promotion must see what the previous ones left to pay, not list prices.
        found = promotion.apply(current)
        receipt.adjustments.extend(found)
        current, order_level = _apply(current, found)
        receipt.order_discount_cents += order_level
    receipt.lines = current
    return receipt
