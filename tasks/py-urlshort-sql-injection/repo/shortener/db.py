"""SQLite connection and schema."""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    code TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at REAL NOT NULL,
    clicks INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS links_owner ON links (owner);
"""


def open_database(path: str = ":memory:") -> sqlite3.Connection:
    """A connection with the schema in place; rows come back as sqlite3.Row."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.executescript(SCHEMA)
    return conn
