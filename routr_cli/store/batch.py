"""The bench's writer: it keeps the database open, and lets readers in when they ask.

DuckDB lets one process write a file and, while it has it open, no other process may
even read it. A bench that kept the file open for hours left ``routr rank`` and
``routr db info`` unable to watch it; one that reopened the file for every write paid
tens to hundreds of milliseconds per attempt. So the two sides talk through a file:

- the writer keeps the connection and commits each finished attempt at once (a killed
  process loses only what was in flight);
- a reader that finds the file locked touches ``<db>.read-request`` and retries for a
  few seconds (``db.LOCK_WAIT_S``);
- at its next tick (every quarter second) the writer sees the request, removes it and
  closes the file for ``READER_WINDOW_S``; attempts that finish meanwhile wait in
  memory; then it reopens (or, while a reader still holds the file, tries again at the
  next tick) and writes them.

Readers thus see the run as of their request, at most a fraction of a second stale.
Ctrl-C, SIGTERM and SIGHUP write everything before the run ends; SIGKILL during a
reader's window loses that window's attempts too (resume re-runs them).

While the writer lets readers in, a second bench on the same database could slip in
too; a lock file next to the database (``flock``, released by the kernel when the
process dies) keeps one bench per database, as DuckDB's own lock did.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from routr_cli.errors import StoreError, StoreLockedError
from routr_cli.store.db import Store, read_request_path
from routr_cli.store.records import AttemptRecord
from routr_cli.store.write import record_attempt

READER_WINDOW_S = 1.0  # the file stays closed this long after a reader asked
FINAL_LOCK_WAIT_S = 60.0  # the last write waits this long for readers to let go
REOPEN_LOCK_WAIT_S = 0.2  # a reopen during the run tries this long, then waits for a tick


class AttemptWriter(Protocol):
    """Where the bench runner puts finished attempts."""

    def add(self, record: AttemptRecord, replace_status: str | None) -> None: ...

    def tick(self) -> float:
        """Let readers in or write what waited; the seconds spent writing."""
        ...

    def flush(self) -> float:
        """Write everything now (end of run, interruption); the seconds spent."""
        ...


@dataclass
class DirectWriter:
    """Writes each attempt at once into an open store (tests; tools holding the file)."""

    store: Store

    def add(self, record: AttemptRecord, replace_status: str | None) -> None:
        record_attempt(self.store, record, replace_status=replace_status)

    def tick(self) -> float:
        return 0.0

    def flush(self) -> float:
        return 0.0


@dataclass
class SharedWriter:
    """Writes attempts as they finish; closes the file for a moment when a reader asks."""

    path: Path
    store: Store | None = None  # open (e.g. the one the bench planned with) or not
    window_s: float = READER_WINDOW_S
    clock: Callable[[], float] = time.monotonic
    pending: list[tuple[AttemptRecord, str | None]] = field(default_factory=list)
    windows: int = 0  # how many times readers were let in

    def __post_init__(self) -> None:
        self._request = read_request_path(self.path)
        self._reopen_at = 0.0

    def add(self, record: AttemptRecord, replace_status: str | None) -> None:
        self.pending.append((record, replace_status))
        if self.store is not None:
            self._write_pending()

    def tick(self) -> float:
        if self.store is not None and self._request.exists():
            with contextlib.suppress(OSError):
                self._request.unlink()
            self.close()
            self.windows += 1
            self._reopen_at = self.clock() + self.window_s
            return 0.0
        if self.pending and self.store is None and self.clock() >= self._reopen_at:
            try:
                return self._reopen_and_write(REOPEN_LOCK_WAIT_S)
            except StoreLockedError:
                return 0.0  # a reader still has the file: the next tick tries again
        return 0.0

    def flush(self) -> float:
        if not self.pending:
            return 0.0
        if self.store is None:
            return self._reopen_and_write(FINAL_LOCK_WAIT_S)
        started = time.perf_counter()
        self._write_pending()
        return time.perf_counter() - started

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def finish(self) -> None:
        """The run is over: close the file and drop a request nobody will answer now."""
        self.close()
        with contextlib.suppress(OSError):
            self._request.unlink()

    def _reopen_and_write(self, lock_wait_s: float) -> float:
        started = time.perf_counter()
        self.store = Store.open(self.path, lock_wait_s=lock_wait_s, ask_writer=False)
        self._write_pending()
        return time.perf_counter() - started

    def _write_pending(self) -> None:
        assert self.store is not None
        while self.pending:
            record, replace_status = self.pending[0]
            record_attempt(self.store, record, replace_status=replace_status)
            self.pending.pop(0)  # written: a failure later keeps the rest waiting


@contextlib.contextmanager
def bench_lock(db: Path) -> Iterator[None]:
    """Hold ``<db>.lock`` for the whole bench: a second bench on the same database is
    one line at once, even while the first has let readers in."""
    import fcntl

    lock_path = db.with_name(db.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 (held)
    except OSError as exc:
        raise StoreError(
            f"cannot create {lock_path} ({exc.strerror}): pass --db with a writable place"
        ) from exc
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise StoreLockedError(
                f"{db} is being written by another routr bench (pid {holder}): "
                "wait for it or use --db OTHER"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock
