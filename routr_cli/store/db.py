"""Open the DuckDB results file, run pending migrations, map lock errors to one line.

One process writes at a time (``routr bench``, ``routr db merge``); every other command
opens the file with ``read_only=True``. DuckDB locks the file per process; an open that
meets the lock asks a running bench to let go (``store.batch``) and waits a few seconds
before giving up with ``StoreLockedError`` naming the holder's pid.

Migrations are ``migrations/NNN_name.sql`` files shipped with the package, applied in
order inside one transaction on a writable open and recorded in ``schema_migrations``.
They are append-only: a released file is never edited, a change is a new file.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from routr_cli.errors import StoreError, StoreLockedError

# How long an open waits for a lock: a bench writes a batch in well under a second.
LOCK_WAIT_S = 5.0
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_PID = re.compile(r"\(PID (\d+)\)")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The migrations shipped with this package, in version order."""
    found: list[Migration] = []
    for entry in resources.files("routr_cli.store").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations are not numbered 001..{len(found):03d}: {versions}")
    return found


def latest_version() -> int:
    return len(migrations())


def utc_now() -> datetime:
    """Naive UTC, the form every TIMESTAMP column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def read_request_path(path: Path) -> Path:
    """The file a process touches to ask a running bench to let go of ``path``."""
    path = Path(path)
    return path.with_name(path.name + ".read-request")


def connect(
    path: Path, *, read_only: bool, lock_wait_s: float = 0.0, ask_writer: bool = True
) -> Any:
    """A DuckDB connection, with the lock and missing-file cases as one-line errors.

    A file locked by another process is retried for ``lock_wait_s``; with ``ask_writer``
    the first failure also touches the read-request file, which a running bench answers
    by closing the file for a moment (``store.batch``).
    """
    deadline = time.monotonic() + lock_wait_s
    pause = 0.02
    asked = not ask_writer or lock_wait_s <= 0
    while True:
        try:
            return _connect_once(path, read_only=read_only)
        except StoreLockedError:
            if not asked:
                asked = True
                with suppress(OSError):
                    read_request_path(path).touch()
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def _connect_once(path: Path, *, read_only: bool) -> Any:
    import duckdb

    path = Path(path)
    if path.is_dir():
        raise StoreError(
            f"{path} is a folder, not a database: pass --db with a file in it, "
            f"e.g. {path / 'routr.duckdb'}"
        )
    if read_only and not path.is_file():
        raise StoreError(f"no results database at {path}: run `routr bench` first or pass --db")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder for {path} ({exc.strerror or type(exc).__name__}): "
                "pass --db PATH or set ROUTR_DB to a writable place"
            ) from exc
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "not a valid duckdb database" in text.lower():
            raise StoreError(
                f"{path} is not a DuckDB database (damaged, or another kind of file): "
                "pass a routr results database, or move the file away to start a new one"
            ) from exc
        if "lock" in text.lower():
            pid = _PID.search(text)
            holder = f"pid {pid[1]}?" if pid else "pid unknown"
            raise StoreLockedError(
                f"{path} is in use by another routr process ({holder}): "
                "wait for it or use --db OTHER"
            ) from exc
        raise StoreError(
            f"cannot open {path} ({text.splitlines()[0]}): check the path and its "
            "permissions, or pass --db"
        ) from exc
    except duckdb.Error as exc:
        raise StoreError(
            f"cannot open {path} as a DuckDB database ({str(exc).splitlines()[0]}): "
            "pass --db with a routr database"
        ) from exc


@contextmanager
def transaction(con: Any) -> Iterator[None]:
    """BEGIN ... COMMIT, rolled back on any exception.

    DuckDB answers Ctrl-C during a statement with its own "interrupted" error; that is
    turned back into ``KeyboardInterrupt`` so callers see one kind of interruption. A
    rollback after an interrupted COMMIT finds no transaction, which is fine: the
    transaction either committed whole or not at all. A failed write to the file (a
    full disk, a vanished mount) becomes a one-line ``StoreError``: whatever committed
    before it is intact, so the fix is to make room and run the command again.
    """
    import duckdb

    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        interrupted = isinstance(exc, duckdb.InterruptException) or (
            isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()
        )
        if interrupted:
            raise KeyboardInterrupt from exc
        if isinstance(exc, duckdb.IOException):
            raise StoreError(
                f"writing the results database failed ({str(exc).splitlines()[0]}): "
                "free disk space, then run the same command again (committed work is kept)"
            ) from exc
        raise


def applied_versions(con: Any) -> list[int]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return []
    return [
        row[0] for row in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    ]


def migrate(con: Any) -> list[Migration]:
    """Apply the pending migrations in one transaction; return the ones applied."""
    known = migrations()
    with transaction(con):
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        done = set(applied_versions(con))
        _check_not_newer(done, len(known))
        pending = [m for m in known if m.version not in done]
        for migration in pending:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, utc_now()],
            )
    return pending


def _check_not_newer(done: set[int], latest: int) -> None:
    if done and max(done) > latest:
        raise StoreError(
            f"the database has schema version {max(done)}, newer than this routr "
            f"understands ({latest}): upgrade routr"
        )


class Store:
    """An open results database: the connection plus who may write to it.

    Use as a context manager, or call ``close()``. Reading helpers live in
    ``routr_cli.store.read``; writing ones in ``routr_cli.store.write``.
    """

    def __init__(self, path: Path, con: Any, *, read_only: bool) -> None:
        self.path = Path(path)
        self.con = con
        self.read_only = read_only

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        lock_wait_s: float = LOCK_WAIT_S,
        ask_writer: bool = True,
    ) -> Store:
        """Open (creating and migrating when writable) the database at ``path``; wait up
        to ``lock_wait_s`` for another process (asking a running bench to let go)."""
        con = connect(path, read_only=read_only, lock_wait_s=lock_wait_s, ask_writer=ask_writer)
        try:
            if read_only:
                done = set(applied_versions(con))
                latest = latest_version()
                _check_not_newer(done, latest)
                if len(done) < latest:
                    raise StoreError(
                        f"{path} has schema version {len(done)} (this routr needs {latest}): "
                        f"run `routr db migrate --db {path}`"
                    )
            else:
                migrate(con)
        except BaseException:
            con.close()
            raise
        return cls(path, con, read_only=read_only)

    def schema_version(self) -> int:
        versions = applied_versions(self.con)
        return max(versions) if versions else 0

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
