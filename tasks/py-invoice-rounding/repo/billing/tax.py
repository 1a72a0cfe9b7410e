"""VAT rates per region and tax computation for a single taxable amount."""

from __future__ import annotations

from decimal import Decimal

from billing.money import round_money

#: Standard VAT rates by region code. Reduced rates are looked up per category.
STANDARD_RATES: dict[str, Decimal] = {
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "NL": Decimal("0.21"),
    "IE": Decimal("0.23"),
    "LU": Decimal("0.17"),
    "US": Decimal("0"),
}

REDUCED_RATES: dict[tuple[str, str], Decimal] = {
    ("DE", "books"): Decimal("0.07"),
    ("DE", "food"): Decimal("0.07"),
    ("FR", "books"): Decimal("0.055"),
    ("FR", "food"): Decimal("0.055"),
    ("NL", "books"): Decimal("0.09"),
    ("IE", "books"): Decimal("0"),
}


class UnknownRegion(KeyError):
    """Raised when an invoice names a region we have no VAT rate for."""


def rate_for(region: str, category: str = "standard") -> Decimal:
    """Return the VAT rate for ``region`` and the product ``category``."""
    if region not in STANDARD_RATES:
        raise UnknownRegion(region)
    return REDUCED_RATES.get((region, category), STANDARD_RATES[region])


def tax_on(net: Decimal, region: str, category: str = "standard") -> Decimal:
    """Tax due on a net amount, rounded to cents."""
    return round_money(net * rate_for(region, category))
