"""The bench writer keeps the database open and lets readers in when they ask; nothing
is lost meanwhile; one bench per database. Readers are real separate processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from routr_cli.errors import StoreLockedError
from routr_cli.paths import PROJECT_ROOT
from routr_cli.store import Store
from routr_cli.store.batch import SharedWriter, bench_lock
from routr_cli.store.db import read_request_path
from routr_cli.store.read import table_counts
from routr_cli.store.records import AttemptRecord

READER = """
import sys
from routr_cli.store import Store
from routr_cli.store.read import table_counts
try:
    ask = sys.argv[2] == "ask"
    with Store.open(sys.argv[1], read_only=True, lock_wait_s=8 if ask else 1, ask_writer=ask) as s:
        print(table_counts(s)["attempts"], flush=True)
except Exception as exc:
    print(f"error: {exc}", flush=True)
"""


def _reader(db: Path, ask: bool) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", READER, str(db), "ask" if ask else "no"],
        stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
    )  # fmt: skip


def _tick_until_done(writer: SharedWriter, proc: subprocess.Popen[str]) -> str:
    while proc.poll() is None:
        writer.tick()
        time.sleep(0.05)
    assert proc.stdout is not None
    return proc.stdout.read().strip()


def test_a_reader_that_asks_gets_in_and_no_attempt_is_lost(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    db = tmp_path / "r.duckdb"
    writer = SharedWriter(db, Store.open(db), window_s=3.0)
    try:
        writer.add(make_attempt("k1"), None)
        writer.add(make_attempt("k2"), None)
        assert not writer.pending  # written at once while the writer holds the file
        started = time.monotonic()
        answer = _tick_until_done(writer, _reader(db, ask=True))
        assert answer == "2", answer  # fresh: everything recorded before the request
        assert time.monotonic() - started < 6
        assert writer.windows == 1 and writer.store is None
        assert not read_request_path(db).exists()  # the request was answered
        writer.add(make_attempt("k3"), None)  # finished during the readers' window
        assert len(writer.pending) == 1
        writer.flush()  # the end of a run writes what waited
        assert not writer.pending
    finally:
        writer.finish()
    with Store.open(db, read_only=True) as store:
        assert table_counts(store)["attempts"] == 3


def test_control_a_reader_that_does_not_ask_stays_locked_out(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    db = tmp_path / "r.duckdb"
    writer = SharedWriter(db, Store.open(db))
    try:
        writer.add(make_attempt("k1"), None)
        answer = _tick_until_done(writer, _reader(db, ask=False))
        assert answer.startswith("error: ") and "in use by another routr process" in answer
        assert writer.windows == 0
    finally:
        writer.finish()


def test_a_reader_holding_the_file_delays_the_reopen_and_loses_nothing(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    db = tmp_path / "r.duckdb"
    Store.open(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, duckdb
            con = duckdb.connect({str(db)!r}, read_only=True)
            print("reading", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    writer = SharedWriter(db, None, window_s=0.0)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "reading"
        writer.add(make_attempt("k1"), None)
        started = time.monotonic()
        assert writer.tick() == 0.0  # the reader has it: kept for the next tick
        assert time.monotonic() - started < 2.0  # a tick never stalls the run for long
        assert len(writer.pending) == 1
        holder.communicate("")
        assert writer.tick() > 0.0 and not writer.pending
    finally:
        if holder.poll() is None:
            holder.kill()
        writer.finish()
    with Store.open(db, read_only=True) as store:
        assert table_counts(store)["attempts"] == 1


def test_one_bench_per_database(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    with (
        bench_lock(db),
        pytest.raises(StoreLockedError, match="another routr bench"),
        bench_lock(db),
    ):
        pass
    with bench_lock(db):  # released with the first
        pass
