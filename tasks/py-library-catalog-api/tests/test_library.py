import warnings
from datetime import date, timedelta
from decimal import Decimal

import pytest

from library import (
    Book, BookNotFound, Catalog, LoanDesk, LoanError, Member, MemberRegistry,
    availability_report, circulation_report,
)


class Today:
    def __init__(self, value):
        self.value = value

    def __call__(self):
        return self.value


@pytest.fixture
def strict():
    """Any DeprecationWarning raised while the block runs becomes an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        yield


@pytest.fixture
def desk():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        catalog = Catalog()
        catalog.add(Book("978-3", "Zen and the Art", "Pirsig", 1))
        catalog.add(Book("978-1", "Dune", "Herbert", 2))
        catalog.add(Book("978-2", "anathem", "Stephenson", 3))
        members = MemberRegistry()
        members.register(Member("m1", "Ada", max_loans=2))
        members.register(Member("m2", "Brian"))
        return LoanDesk(catalog, members, today=Today(date(2024, 3, 1)))


def test_checkout_and_availability_without_deprecated_calls(desk, strict):
    loan = desk.checkout("978-1", "m1")
    assert loan.due == date(2024, 3, 22)
    assert desk.copies_available("978-1") == 1
    desk.checkout("978-1", "m2")
    with pytest.raises(LoanError, match="Dune"):
        desk.checkout("978-1", "m2")
    with pytest.raises(LoanError):
        desk.checkout("000-0", "m2")
    with pytest.raises(LoanError):
        desk.copies_available("000-0")


def test_return_and_renew_without_deprecated_calls(desk, strict):
    loan = desk.checkout("978-3", "m2")
    desk.renew(loan.loan_id)
    assert loan.due == date(2024, 4, 12)
    desk.today.value = date(2024, 4, 20)
    returned = desk.return_copy(loan.loan_id)
    assert returned.fine == Decimal("2.00")
    assert desk.copies_available("978-3") == 1


def test_availability_report_is_ordered_by_isbn(desk, strict):
    desk.checkout("978-2", "m1")
    desk.checkout("978-2", "m2")
    assert availability_report(desk) == [
        "978-1  Dune  2/2",
        "978-2  anathem  1/3",
        "978-3  Zen and the Art  1/1",
    ]


def test_circulation_report_without_deprecated_calls(desk, strict):
    first = desk.checkout("978-2", "m1")
    desk.checkout("978-2", "m2")
    desk.checkout("978-1", "m2")
    desk.today.value = date(2024, 3, 30)
    desk.return_copy(first.loan_id)
    desk.catalog.withdraw("978-1")
    report = circulation_report(desk, date(2024, 3, 1), date(2024, 3, 31))
    assert report == {
        "loans": 3,
        "returns": 1,
        "fines": Decimal("2.00"),
        "busiest": ["anathem (2)", "(withdrawn 978-1) (1)"],
    }


def test_member_limits_and_suspension(desk, strict):
    desk.checkout("978-2", "m1")
    desk.checkout("978-3", "m1")
    with pytest.raises(LoanError, match="limit"):
        desk.checkout("978-1", "m1")
    desk.members.suspend("m2")
    with pytest.raises(LoanError, match="suspended"):
        desk.checkout("978-1", "m2")


def test_renewal_rules(desk):
    loan = desk.checkout("978-1", "m2")
    desk.renew(loan.loan_id)
    desk.renew(loan.loan_id)
    with pytest.raises(LoanError):
        desk.renew(loan.loan_id)
    other = desk.checkout("978-1", "m2")
    desk.today.value = other.due + timedelta(days=1)
    with pytest.raises(LoanError, match="overdue"):
        desk.renew(other.loan_id)


def test_catalog_v2_and_deprecated_v1_still_available():
    catalog = Catalog()
    catalog.add(Book("1", "B title", "x", 2))
    assert catalog.get("1").total_copies == 2
    with pytest.raises(BookNotFound):
        catalog.get("2")
    with pytest.warns(DeprecationWarning):
        catalog.add_book("2", "A title", 4)
    with pytest.warns(DeprecationWarning):
        assert catalog.find_book("2")["copies"] == 4
    with pytest.warns(DeprecationWarning):
        assert [b["isbn"] for b in catalog.all_books()] == ["1", "2"]
    assert [b.isbn for b in catalog.books()] == ["2", "1"]
