from decimal import Decimal

import pytest

from billing.invoice import Invoice, LineItem
from billing.money import MoneyError, format_money, round_money
from billing.render import render_invoice
from billing.tax import tax_on


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2.675", "2.68"),
        ("1.005", "1.01"),
        ("0.125", "0.13"),
        ("1234567.845", "1234567.85"),
        ("10.004", "10.00"),
        ("0.015", "0.02"),
    ],
)
def test_half_cents_round_up(raw, expected):
    assert round_money(raw) == Decimal(expected)
    assert str(round_money(raw)) == expected


@pytest.mark.parametrize("raw, expected", [("-2.675", "-2.68"), ("-0.005", "-0.01"), ("-1.004", "-1.00")])
def test_negative_halves_round_away_from_zero(raw, expected):
    assert round_money(raw) == Decimal(expected)


def test_large_amounts_keep_every_cent():
    assert round_money("98765432109876.545") == Decimal("98765432109876.55")
    assert round_money(Decimal("12345678901234567.89")) == Decimal("12345678901234567.89")


def test_line_net_with_discount_rounds_half_up():
    # 3 x 8.25 = 24.75, minus 10% = 22.275 -> 22.28
    line = LineItem("Cable", quantity=3, unit_price="8.25", discount_percent=10)
    assert line.net() == Decimal("22.28")


def test_tax_rounds_half_up():
    # 0.35 * 0.07 = 0.0245 -> 0.02 ; 10.50 * 0.055 = 0.5775 -> 0.58 ; 2.50 * 0.19 = 0.475 -> 0.48
    assert tax_on(Decimal("0.35"), "DE", "books") == Decimal("0.02")
    assert tax_on(Decimal("10.50"), "FR", "books") == Decimal("0.58")
    assert tax_on(Decimal("2.50"), "DE") == Decimal("0.48")


def test_invoice_totals_add_up():
    inv = Invoice(number="INV-7", customer="ACME", region="DE")
    inv.add(LineItem("Widget", quantity=1, unit_price="2.50"))
    inv.add(LineItem("Manual", quantity=1, unit_price="10.50", category="books"))
    assert inv.subtotal() == Decimal("13.00")
    # 0.475 -> 0.48 and 0.735 -> 0.74
    assert inv.tax() == Decimal("1.22")
    assert inv.total() == Decimal("14.22")


def test_credit_note_rounds_symmetrically():
    inv = Invoice(number="CN-1", customer="ACME", region="DE")
    inv.add(LineItem("Widget refund", quantity=-1, unit_price="2.50"))
    assert inv.tax() == Decimal("-0.48")
    assert inv.total() == Decimal("-2.98")
    assert inv.is_credit_note()


def test_format_money():
    assert format_money(Decimal("1234.5")) == "1,234.50 EUR"
    assert format_money(Decimal("-3.2"), "USD") == "-3.20 USD"
    assert format_money(Decimal("0.125")) == "0.13 EUR"


def test_floats_rejected():
    with pytest.raises(MoneyError):
        round_money(1.5)


def test_render_invoice_lines_and_totals():
    inv = Invoice(number="INV-9", customer="Globex", region="NL")
    inv.add(LineItem("Bolt", quantity=4, unit_price="0.25"))
    inv.add(LineItem("Nut", quantity=10, unit_price="0.10"))
    text = render_invoice(inv)
    assert text.startswith("INVOICE INV-9\nCustomer: Globex\n")
    assert "4 x Bolt" in text and "1.00 EUR" in text
    assert text.rstrip().splitlines()[-1].endswith("2.42 EUR")
    assert all(len(row) <= 60 for row in text.splitlines())
