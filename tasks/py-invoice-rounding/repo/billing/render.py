"""Plain-text rendering of invoices for e-mail bodies and the PDF generator."""

from __future__ import annotations

from billing.invoice import Invoice
from billing.money import format_money

WIDTH = 60


def render_invoice(invoice: Invoice) -> str:
    """Render ``invoice`` as fixed-width text, one line per item plus totals."""
    kind = "CREDIT NOTE" if invoice.is_credit_note() else "INVOICE"
    out = [f"{kind} {invoice.number}", f"Customer: {invoice.customer}", "-" * WIDTH]
    for line in invoice.lines:
        amount = format_money(line.net(), invoice.currency)
        label = f"{line.quantity} x {line.description}"
        out.append(f"{label:<{WIDTH - len(amount) - 1}} {amount}")
    out.append("-" * WIDTH)
    for name, value in (
        ("Subtotal", invoice.subtotal()),
        ("VAT", invoice.tax()),
        ("Total", invoice.total()),
    ):
        amount = format_money(value, invoice.currency)
        out.append(f"{name:<{WIDTH - len(amount) - 1}} {amount}")
    return "\n".join(out) + "\n"
