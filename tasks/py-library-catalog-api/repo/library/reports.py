"""Reports for branch staff: availability and weekly circulation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from library.loans import LoanDesk


def availability_report(desk: LoanDesk) -> list[str]:
    """One line per title, by ISBN: `ISBN  Title  available/total`."""
    lines = []
    for record in desk.catalog.all_books():
        out = len(desk.open_loans(isbn=record["isbn"]))
        lines.append(f"{record['isbn']}  {record['title']}  {record['copies'] - out}/{record['copies']}")
    return lines


def circulation_report(desk: LoanDesk, start: date, end: date) -> dict[str, object]:
    """Loans made and returned within [start, end], fines collected, busiest titles."""
    made = [loan for loan in desk.loans if start <= loan.out <= end]
    returned = [loan for loan in desk.loans if loan.returned and start <= loan.returned <= end]
    fines = sum((loan.fine for loan in returned), Decimal("0.00"))
    counts: dict[str, int] = {}
    for loan in made:
        counts[loan.isbn] = counts.get(loan.isbn, 0) + 1
    busiest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]
    titles = []
    for isbn, count in busiest:
        record = desk.catalog.find_book(isbn)
        title = record["title"] if record else f"(withdrawn {isbn})"
        titles.append(f"{title} ({count})")
    return {"loans": len(made), "returns": len(returned), "fines": fines, "busiest": titles}
