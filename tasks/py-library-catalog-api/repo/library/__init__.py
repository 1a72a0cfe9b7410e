"""Library loan management."""

from library.catalog import Book, BookNotFound, Catalog
from library.loans import Loan, LoanDesk, LoanError
from library.members import Member, MemberRegistry
from library.reports import availability_report, circulation_report

__all__ = [
    "Book",
    "BookNotFound",
    "Catalog",
    "Loan",
    "LoanDesk",
    "LoanError",
    "Member",
    "MemberRegistry",
    "availability_report",
    "circulation_report",
]
