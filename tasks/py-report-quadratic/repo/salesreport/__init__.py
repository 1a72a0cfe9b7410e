"""Monthly sales report: revenue per customer/region, ranks, top list."""

from salesreport.models import Customer, Transaction
from salesreport.report import Report, build_report, render_text

__all__ = ["Customer", "Report", "Transaction", "build_report", "render_text"]
