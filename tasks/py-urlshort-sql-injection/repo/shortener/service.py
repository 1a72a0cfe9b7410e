"""Business rules around links; the HTTP handlers call this with request parameters."""

from __future__ import annotations

import random
import sqlite3
from urllib.parse import urlsplit

from shortener.codes import generate_code, is_valid_custom_code
from shortener.models import Link
from shortener.repository import LinkRepository

SORTABLE = ("created_at", "clicks", "code", "url")


class InvalidLink(ValueError):
    """The URL, code, tag or parameter is not acceptable."""


class CodeTaken(ValueError):
    """A custom code that is already in use."""


class ShortenerService:
    def __init__(self, conn: sqlite3.Connection, rng: random.Random | None = None) -> None:
        self.repo = LinkRepository(conn)
        self.rng = rng or random.Random()

    def shorten(self, url: str, owner: str, custom_code: str | None = None, tags: list[str] | None = None) -> Link:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidLink(f"not an http(s) URL: {url!r}")
        if not owner:
            raise InvalidLink("owner is required")
        clean_tags = tuple(sorted({tag.strip().lower() for tag in tags or [] if tag.strip()}))
        if any("," in tag for tag in clean_tags):
            raise InvalidLink("tags cannot contain commas")
        if custom_code is not None:
            if not is_valid_custom_code(custom_code):
                raise InvalidLink(f"invalid code {custom_code!r}: use 3-32 letters, digits, '-' or '_'")
            if self.repo.exists(custom_code):
                raise CodeTaken(f"code {custom_code!r} is taken")
            code = custom_code
        else:
            code = generate_code(self.rng)
            while self.repo.exists(code):
                code = generate_code(self.rng)
        return self.repo.insert(code, url, owner, clean_tags)

    def resolve(self, code: str) -> str | None:
        """The target URL for a code (and count the click), or None."""
        link = self.repo.get(code)
        if link is None:
            return None
        self.repo.add_click(code)
        return link.url

    def links_for(self, owner: str, order_by: str = "created_at", descending: bool = True) -> list[Link]:
        return self.repo.by_owner(owner, order_by, descending)

    def search(self, owner: str, term: str) -> list[Link]:
        return self.repo.search(owner, term)

    def remove(self, code: str, owner: str) -> bool:
        return self.repo.delete(code, owner) > 0

    def top(self, limit: int = 10) -> list[Link]:
        return self.repo.most_clicked(limit)
