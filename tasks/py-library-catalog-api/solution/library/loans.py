"""The loan desk: checkouts, returns and renewals."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from library.catalog import Catalog
from library.fines import fine_for
from library.members import MemberRegistry

LOAN_DAYS = 21
MAX_RENEWALS = 2


class LoanError(Exception):
    """A loan operation the rules do not allow."""


@dataclass
class Loan:
    loan_id: int
    isbn: str
    member_id: str
    out: date
    due: date
    renewals: int = 0
    returned: date | None = None
    fine: Decimal = Decimal("0.00")


class LoanDesk:
    def __init__(self, catalog: Catalog, members: MemberRegistry, today: Callable[[], date] = date.today) -> None:
        self.catalog = catalog
        self.members = members
        self.today = today
        self.loans: list[Loan] = []
        self._ids = itertools.count(1)

    def open_loans(self, isbn: str | None = None, member_id: str | None = None) -> list[Loan]:
        return [
            loan
            for loan in self.loans
            if loan.returned is None
            and (isbn is None or loan.isbn == isbn)
            and (member_id is None or loan.member_id == member_id)
        ]

    def copies_available(self, isbn: str) -> int:
        book = self.catalog.lookup(isbn)
        if book is None:
            raise LoanError(f"no book with ISBN {isbn}")
        return book.total_copies - len(self.open_loans(isbn=isbn))

    def checkout(self, isbn: str, member_id: str) -> Loan:
        member = self.members.get(member_id)
        if member.suspended:
            raise LoanError(f"member {member_id} is suspended")
        if len(self.open_loans(member_id=member_id)) >= member.max_loans:
            raise LoanError(f"member {member_id} has reached the limit of {member.max_loans} loans")
        book = self.catalog.lookup(isbn)
        if book is None:
            raise LoanError(f"no book with ISBN {isbn}")
        if self.copies_available(isbn) <= 0:
            raise LoanError(f"no copy of {book.title!r} is available")
        today = self.today()
        loan = Loan(next(self._ids), isbn, member_id, today, today + timedelta(days=LOAN_DAYS))
        self.loans.append(loan)
        return loan

    def return_copy(self, loan_id: int) -> Loan:
        loan = self._open_loan(loan_id)
        loan.returned = self.today()
        loan.fine = fine_for(loan.due, loan.returned)
        return loan

    def renew(self, loan_id: int) -> Loan:
        loan = self._open_loan(loan_id)
        if loan.renewals >= MAX_RENEWALS:
            raise LoanError(f"loan {loan_id} cannot be renewed again")
        if self.today() > loan.due:
            raise LoanError(f"loan {loan_id} is overdue; return it first")
        loan.renewals += 1
        loan.due = loan.due + timedelta(days=LOAN_DAYS)
        return loan

    def _open_loan(self, loan_id: int) -> Loan:
        for loan in self.loans:
            if loan.loan_id == loan_id and loan.returned is None:
                return loan
        raise LoanError(f"no open loan {loan_id}")
