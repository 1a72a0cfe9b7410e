"""Reports for branch staff: availability and weekly circulation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from library.loans import LoanDesk


def availability_report(desk: LoanDesk) -> list[str]:
    """One line per title, by ISBN: `ISBN  Title  available/total`."""
    lines = []
    for book in sorted(desk.catalog.books(), key=lambda b: b.isbn):
        out = len(desk.open_loans(isbn=book.isbn))
        lines.append(f"{book.isbn}  {book.title}  {book.total_copies - out}/{book.total_copies}")
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
        book = desk.catalog.lookup(isbn)
        title = book.title if book else f"(withdrawn {isbn})"
        titles.append(f"{title} ({count})")
    return {"loans": len(made), "returns": len(returned), "fines": fines, "busiest": titles}
