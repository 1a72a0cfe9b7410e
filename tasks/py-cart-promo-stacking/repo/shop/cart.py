"""The shopping cart: SKUs and quantities, no prices."""

from __future__ import annotations

from dataclasses import dataclass

from shop.catalog import normalise_sku


@dataclass
class CartLine:
    sku: str
    quantity: int


class Cart:
    def __init__(self) -> None:
        self.lines: list[CartLine] = []

    def add(self, sku: str, quantity: int = 1) -> None:
        """Add ``quantity`` units of ``sku``, merging with an existing line."""
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        key = normalise_sku(sku)
        for line in self.lines:
            if line.sku == sku:
                line.quantity += quantity
                return
        self.lines.append(CartLine(key, quantity))

    def remove(self, sku: str, quantity: int | None = None) -> None:
        """Remove ``quantity`` units of ``sku`` (all of them when ``quantity`` is None)."""
        key = normalise_sku(sku)
        for line in self.lines:
            if line.sku == key:
                if quantity is None or quantity >= line.quantity:
                    self.lines.remove(line)
                else:
                    line.quantity -= quantity
                return
        raise KeyError(sku)

    def quantity_of(self, sku: str) -> int:
        key = normalise_sku(sku)
        return sum(line.quantity for line in self.lines if line.sku == key)
