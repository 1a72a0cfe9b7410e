"""The DuckDB results store: schema migrations, one writer, read-only readers.

``Store.open(path)`` migrates and returns the single writer; ``Store.open(path,
read_only=True)`` is for every other command. Named reads live in ``store.read``,
writes in ``store.write``, shard merging in ``store.merge``.
"""

from routr_cli.store.db import Store, latest_version, migrate, migrations
from routr_cli.store.records import (
    AttemptRecord,
    AttemptTestRow,
    CacheEntry,
    RunRecord,
    TaskSnapshot,
)

__all__ = [
    "AttemptRecord",
    "AttemptTestRow",
    "CacheEntry",
    "RunRecord",
    "Store",
    "TaskSnapshot",
    "latest_version",
    "migrate",
    "migrations",
]
