"""Invoicing primitives: money helpers, tax rules, invoices and rendering."""

from billing.invoice import Invoice, LineItem
from billing.money import round_money, to_money

__all__ = ["Invoice", "LineItem", "round_money", "to_money"]
