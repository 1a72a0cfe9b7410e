"""``routr db merge``: fold shard databases into one, without duplicates.

Every table has a natural key (attempt_key, task hash, run id, cache key), so merging is
"insert what is not there yet" -- except that a real attempt replaces a recorded
provider error for the same key. An attempt's test rows follow it: they are copied only
for attempts this merge adds, so a key present in two shards keeps one set of tests.
Inputs are attached read-only and never modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from routr_cli.errors import StoreError, StoreLockedError
from routr_cli.store.db import Store, latest_version, transaction

_SIMPLE_TABLES = (
    ("runs", "id"),
    ("task_snapshots", "task_hash"),
    ("response_cache", "cache_key"),
    ("calls", "id"),  # routed calls (`routr call`, per-worker `routr serve` logs)
)


@dataclass(frozen=True)
class MergeResult:
    source: Path
    attempts_added: int
    attempts_skipped: int


def _check_source(source: Path, out_path: Path) -> None:
    if source.is_dir():
        raise StoreError(
            f"{source} is a folder: pass the shard databases in it, e.g. {source}/*.duckdb"
        )
    if not source.is_file():
        raise StoreError(f"no database at {source}: check the path")
    if source.resolve() == out_path.resolve():
        raise StoreError(f"{source} is also the output: pick a different -o")


def _attach(store: Store, source: Path) -> None:
    import duckdb

    try:
        store.con.execute(f"ATTACH '{_quote(source)}' AS src (READ_ONLY)")
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLockedError(
                f"{source} is in use by another routr process: wait for it to finish"
            ) from exc
        raise StoreError(
            f"cannot read {source} ({str(exc).splitlines()[0]}): pass routr .duckdb files"
        ) from exc
    except duckdb.Error as exc:
        raise StoreError(f"{source} is not a DuckDB database: pass routr .duckdb files") from exc


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _check_schema(store: Store, source: Path) -> None:
    has = store.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'src' "
        "AND table_name = 'schema_migrations'"
    ).fetchone()[0]
    version = 0
    if has:
        version = store.con.execute("SELECT max(version) FROM src.schema_migrations").fetchone()[0]
    if version > latest_version():
        raise StoreError(
            f"{source} has schema version {version}, newer than this routr understands "
            f"({latest_version()}): upgrade routr"
        )
    if version != latest_version():
        raise StoreError(
            f"{source} has schema version {version or 0}, this routr writes {latest_version()}: "
            f"run `routr db migrate --db {source}` first"
        )


def merge_into(out: Store, source: Path) -> MergeResult:
    """Copy what ``source`` has and ``out`` lacks; one transaction per source."""
    source = Path(source)
    _check_source(source, out.path)
    _attach(out, source)
    con = out.con
    try:
        _check_schema(out, source)
        with transaction(con):
            for table, key in _SIMPLE_TABLES:
                con.execute(
                    f"INSERT INTO main.{table} SELECT s.* FROM src.{table} s "
                    f"ANTI JOIN main.{table} m ON s.{key} = m.{key}"
                )
            # A provider error in the output gives way to a real attempt from the source
            # (the same key retried with --retry-errors in another shard).
            con.execute(
                "CREATE TEMP TABLE _upgrade AS SELECT m.attempt_key FROM main.attempts m "
                "JOIN src.attempts s ON s.attempt_key = m.attempt_key "
                "WHERE m.status = 'provider_error' AND s.status <> 'provider_error'"
            )
            for table in ("attempt_tests", "attempts"):
                con.execute(
                    f"DELETE FROM main.{table} WHERE attempt_key IN "
                    "(SELECT attempt_key FROM _upgrade)"
                )
            con.execute("DROP TABLE _upgrade")
            con.execute(
                "CREATE TEMP TABLE _new_keys AS SELECT s.attempt_key FROM src.attempts s "
                "ANTI JOIN main.attempts m ON s.attempt_key = m.attempt_key"
            )
            total = con.execute("SELECT count(*) FROM src.attempts").fetchone()[0]
            added = con.execute("SELECT count(*) FROM _new_keys").fetchone()[0]
            con.execute(
                "INSERT INTO main.attempt_tests SELECT t.* FROM src.attempt_tests t "
                "SEMI JOIN _new_keys n ON t.attempt_key = n.attempt_key"
            )
            con.execute(
                "INSERT INTO main.attempts SELECT s.* FROM src.attempts s "
                "SEMI JOIN _new_keys n ON s.attempt_key = n.attempt_key"
            )
            con.execute("DROP TABLE _new_keys")
    finally:
        con.execute("DETACH src")
    return MergeResult(source, int(added), int(total - added))


def merge_databases(sources: list[Path], out_path: Path) -> list[MergeResult]:
    """Merge ``sources`` into ``out_path`` (created if missing, appended to if not)."""
    if not sources:
        raise StoreError("nothing to merge: name at least one database")
    out_path = Path(out_path)
    if out_path.is_dir():
        raise StoreError(
            f"-o {out_path} is a folder: name the merged database file, "
            f"e.g. -o {out_path / 'merged.duckdb'}"
        )
    # Every input is checked -- found, a readable routr database of this schema --
    # before the output is opened, so a typo or a damaged shard does not leave a new
    # output file (or half the shards merged) behind.
    for source in sources:
        _check_source(Path(source), out_path)
        Store.open(Path(source), read_only=True).close()
    created = not out_path.exists()
    try:
        with Store.open(out_path) as out:
            return [merge_into(out, Path(s)) for s in sources]
    except BaseException:
        if created:  # nothing half-merged is left for a later command to trust
            for leftover in (out_path, out_path.with_name(out_path.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise
