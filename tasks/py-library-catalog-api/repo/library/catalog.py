"""The catalogue: titles and how many copies each branch owns.

API v2 works with `Book` records. The v1 functions (dicts in, dicts out) remain as
thin deprecated wrappers until every caller has moved.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class BookNotFound(KeyError):
    """No book with that ISBN in the catalogue."""


@dataclass(frozen=True)
class Book:
    isbn: str
    title: str
    author: str
    total_copies: int

    def __post_init__(self) -> None:
        if self.total_copies < 0:
            raise ValueError("total_copies cannot be negative")


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"Catalog.{old}() is deprecated; use Catalog.{new}()", DeprecationWarning, stacklevel=3)


class Catalog:
    def __init__(self) -> None:
        self._books: dict[str, Book] = {}

    # -- API v2 -------------------------------------------------------------

    def add(self, book: Book) -> None:
        """Add a title, or replace its record (e.g. more copies were bought)."""
        self._books[book.isbn] = book

    def get(self, isbn: str) -> Book:
        try:
            return self._books[isbn]
        except KeyError:
            raise BookNotFound(isbn) from None

    def lookup(self, isbn: str) -> Book | None:
        return self._books.get(isbn)

    def books(self) -> Iterator[Book]:
        """Every book, ordered by title (then ISBN) as shown in the OPAC."""
        return iter(sorted(self._books.values(), key=lambda b: (b.title.lower(), b.isbn)))

    def withdraw(self, isbn: str) -> Book:
        """Remove a title from the catalogue (loan history keeps its ISBN)."""
        try:
            return self._books.pop(isbn)
        except KeyError:
            raise BookNotFound(isbn) from None

    def __len__(self) -> int:
        return len(self._books)

    # -- API v1 (deprecated) ------------------------------------------------

    def add_book(self, isbn: str, title: str, copies: int, author: str = "") -> None:
        _deprecated("add_book", "add")
        self.add(Book(isbn, title, author, copies))

    def find_book(self, isbn: str) -> dict[str, Any] | None:
        """{"isbn", "title", "author", "copies"} or None."""
        _deprecated("find_book", "lookup")
        book = self._books.get(isbn)
        if book is None:
            return None
        return {"isbn": book.isbn, "title": book.title, "author": book.author, "copies": book.total_copies}

    def all_books(self) -> list[dict[str, Any]]:
        """Every book as a v1 dict, ordered by ISBN."""
        _deprecated("all_books", "books")
        return [
            {"isbn": b.isbn, "title": b.title, "author": b.author, "copies": b.total_copies}
            for b in sorted(self._books.values(), key=lambda b: b.isbn)
        ]
