"""Products and the catalog lookup."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def normalise_sku(sku: str) -> str:
    """Canonical SKU form: surrounding whitespace removed, upper case."""
    return sku.strip().upper()


class UnknownProduct(KeyError):
    """The cart references an SKU that is not in the catalog."""


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_cents: int
    category: str


class Catalog:
    def __init__(self, products: Iterable[Product]) -> None:
        self._products = {normalise_sku(p.sku): p for p in products}

    def get(self, sku: str) -> Product:
        try:
            return self._products[normalise_sku(sku)]
        except KeyError:
            raise UnknownProduct(sku) from None
