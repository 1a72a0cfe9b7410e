"""All SQL for links."""

from __future__ import annotations

import sqlite3
import time

from shortener.models import Link


def _to_link(row: sqlite3.Row) -> Link:
    tags = tuple(tag for tag in row["tags"].split(",") if tag)
    return Link(row["code"], row["url"], row["owner"], row["created_at"], row["clicks"], tags)


class LinkRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def insert(self, code: str, url: str, owner: str, tags: tuple[str, ...] = ()) -> Link:
        created = time.time()
        tag_text = ",".join(tags)
        self.conn.execute(
            f"INSERT INTO links (code, url, owner, created_at, tags) "
            f"VALUES ('{code}', '{url}', '{owner}', {created}, '{tag_text}')"
        )
        self.conn.commit()
        return Link(code, url, owner, created, 0, tuple(tags))

    def exists(self, code: str) -> bool:
        row = self.conn.execute(f"SELECT 1 FROM links WHERE code = '{code}'").fetchone()
        return row is not None

    def get(self, code: str) -> Link | None:
        row = self.conn.execute(f"SELECT * FROM links WHERE code = '{code}'").fetchone()
        return _to_link(row) if row else None

    def add_click(self, code: str) -> None:
        self.conn.execute(f"UPDATE links SET clicks = clicks + 1 WHERE code = '{code}'")
        self.conn.commit()

    def by_owner(self, owner: str, order_by: str = "created_at", descending: bool = True) -> list[Link]:
        direction = "DESC" if descending else "ASC"
        rows = self.conn.execute(
            f"SELECT * FROM links WHERE owner = '{owner}' ORDER BY {order_by} {direction}, code"
        ).fetchall()
        return [_to_link(row) for row in rows]

    def search(self, owner: str, term: str) -> list[Link]:
        """The owner's links whose URL or tags contain `term` (case-insensitive)."""
        rows = self.conn.execute(
            f"SELECT * FROM links WHERE owner = '{owner}' "
            f"AND (url LIKE '%{term}%' OR tags LIKE '%{term}%') ORDER BY code"
        ).fetchall()
        return [_to_link(row) for row in rows]

    def delete(self, code: str, owner: str) -> int:
        cursor = self.conn.execute(f"DELETE FROM links WHERE code = '{code}' AND owner = '{owner}'")
        self.conn.commit()
        return cursor.rowcount

    def most_clicked(self, limit: int = 10) -> list[Link]:
        rows = self.conn.execute(f"SELECT * FROM links ORDER BY clicks DESC, code LIMIT {limit}").fetchall()
        return [_to_link(row) for row in rows]
