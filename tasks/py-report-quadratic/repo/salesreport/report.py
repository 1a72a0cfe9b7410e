"""Assemble and render the report."""

from __future__ import annotations

from dataclasses import dataclass

from salesreport.cleaning import dedupe_transactions, known_customer_transactions
from salesreport.metrics import median_order_value, revenue_by_customer, revenue_by_region
from salesreport.models import Customer, Transaction
from salesreport.ranking import competition_ranks, top_customers


@dataclass
class Report:
    revenue: dict[str, int]
    regions: dict[str, int]
    ranks: dict[str, int]
    top: list[tuple[str, int]]
    median_order_cents: float
    transactions_used: int
    duplicates_dropped: int


def build_report(customers: list[Customer], transactions: list[Transaction], top: int = 10) -> Report:
    unique = dedupe_transactions(transactions)
    known = known_customer_transactions(customers, unique)
    revenue = revenue_by_customer(customers, known)
    return Report(
        revenue=revenue,
        regions=revenue_by_region(customers, revenue),
        ranks=competition_ranks(revenue),
        top=top_customers(revenue, top),
        median_order_cents=median_order_value(known),
        transactions_used=len(known),
        duplicates_dropped=len(transactions) - len(unique),
    )


def _money(cents: int | float) -> str:
    return f"{cents / 100:,.2f}"


def render_text(report: Report) -> str:
    lines = ["SALES REPORT", ""]
    lines.append(f"Transactions: {report.transactions_used} ({report.duplicates_dropped} duplicates dropped)")
    lines.append(f"Median order: {_money(report.median_order_cents)}")
    lines += ["", "By region:"]
    lines += [f"  {region:<12} {_money(cents):>16}" for region, cents in report.regions.items()]
    lines += ["", "Top customers:"]
    for customer_id, cents in report.top:
        lines.append(f"  #{report.ranks[customer_id]:<4} {customer_id:<12} {_money(cents):>16}")
    return "\n".join(lines) + "\n"
