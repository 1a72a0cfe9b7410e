"""All SQL for links.

Every value reaches SQLite as a bound parameter, never as SQL text. Identifiers cannot
be bound, so the sortable columns are a fixed allow-list; LIKE patterns escape their
wildcards so a search term always matches literally.
"""

from __future__ import annotations

import sqlite3
import time

from shortener.models import Link

SORT_COLUMNS = {"created_at": "created_at", "clicks": "clicks", "code": "code", "url": "url"}


def _to_link(row: sqlite3.Row) -> Link:
    tags = tuple(tag for tag in row["tags"].split(",") if tag)
    return Link(row["code"], row["url"], row["owner"], row["created_at"], row["clicks"], tags)


def _like_contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class LinkRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, code: str, url: str, owner: str, tags: tuple[str, ...] = ()) -> Link:
        created = time.time()
        self.conn.execute(
            "INSERT INTO links (code, url, owner, created_at, tags) VALUES (?, ?, ?, ?, ?)",
            (code, url, owner, created, ",".join(tags)),
        )
        self.conn.commit()
        return Link(code, url, owner, created, 0, tuple(tags))

    def exists(self, code: str) -> bool:
        return self.conn.execute("SELECT 1 FROM links WHERE code = ?", (code,)).fetchone() is not None

    def get(self, code: str) -> Link | None:
        row = self.conn.execute("SELECT * FROM links WHERE code = ?", (code,)).fetchone()
        return _to_link(row) if row else None

    def add_click(self, code: str) -> None:
        self.conn.execute("UPDATE links SET clicks = clicks + 1 WHERE code = ?", (code,))
        self.conn.commit()

    def by_owner(self, owner: str, order_by: str = "created_at", descending: bool = True) -> list[Link]:
        column = SORT_COLUMNS.get(order_by)
        if column is None:
            raise ValueError(f"cannot sort by {order_by!r}; use one of {', '.join(SORT_COLUMNS)}")
        direction = "DESC" if descending else "ASC"
        rows = self.conn.execute(
            f"SELECT * FROM links WHERE owner = ? ORDER BY {column} {direction}, code", (owner,)
        ).fetchall()
        return [_to_link(row) for row in rows]

    def search(self, owner: str, term: str) -> list[Link]:
        """The owner's links whose URL or tags contain `term` (case-insensitive, literal)."""
        pattern = _like_contains(term)
        rows = self.conn.execute(
            "SELECT * FROM links WHERE owner = ? "
            "AND (url LIKE ? ESCAPE '\\' OR tags LIKE ? ESCAPE '\\') ORDER BY code",
            (owner, pattern, pattern),
        ).fetchall()
        return [_to_link(row) for row in rows]

    def delete(self, code: str, owner: str) -> int:
        cursor = self.conn.execute("DELETE FROM links WHERE code = ? AND owner = ?", (code, owner))
        self.conn.commit()
        return cursor.rowcount

    def most_clicked(self, limit: int = 10) -> list[Link]:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
        rows = self.conn.execute(
            "SELECT * FROM links ORDER BY clicks DESC, code LIMIT ?", (limit,)
        ).fetchall()
        return [_to_link(row) for row in rows]
