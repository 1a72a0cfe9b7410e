"""Text rendering of a receipt for the checkout page and order e-mails."""

from __future__ import annotations

from shop.pricing import Receipt


def _eur(cents: int) -> str:
    return f"{cents / 100:.2f}"


def render_receipt(receipt: Receipt) -> str:
    rows = []
    for line in receipt.lines:
        rows.append(f"{line.quantity:>3} x {line.name:<24} {_eur(line.subtotal_cents):>9}")
    for adj in receipt.adjustments:
        rows.append(f"      {adj.promotion:<24} {'-' + _eur(adj.amount_cents):>9}")
    rows.append(f"      {'TOTAL':<24} {_eur(receipt.total_cents):>9}")
    return "\n".join(rows) + "\n"
