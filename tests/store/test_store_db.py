from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from routr_cli.errors import StoreError, StoreLockedError
from routr_cli.store import Store, latest_version, migrations
from routr_cli.store.read import cached_responses, rank_rows, recorded_keys, table_counts
from routr_cli.store.records import AttemptRecord, RunRecord, TaskSnapshot
from routr_cli.store.write import (
    ATTEMPT_COLUMNS,
    begin_run,
    finish_run,
    record_attempt,
    save_snapshots,
)

EXPECTED_COLUMNS = {
    "runs": {"id", "started_at", "finished_at", "argv", "routr_version", "config", "status"},
    "task_snapshots": {
        "task_hash", "task_id", "title", "category", "language", "difficulty", "files",
        "lines", "created_at", "family",
    },
    "attempt_tests": {"attempt_key", "test_id", "outcome", "duration_s", "message"},
    "response_cache": {"cache_key", "model", "response", "created_at"},
    "schema_migrations": {"version", "name", "applied_at"},
}  # fmt: skip


def _columns(path: Path) -> dict[str, set[str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def test_migrating_an_empty_database_creates_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "new" / "routr.duckdb"
    with Store.open(path) as store:
        assert store.schema_version() == latest_version() == len(migrations())
    columns = _columns(path)
    for table, expected in EXPECTED_COLUMNS.items():
        assert columns[table] == expected, table
    # Every column the writer fills, and nothing it would leave to a default.
    assert columns["attempts"] == set(ATTEMPT_COLUMNS)
    assert {"attempt_key", "model", "transcript", "cost_usd", "cached_responses"} <= columns[
        "attempts"
    ]
    con = duckdb.connect(str(path), read_only=True)
    recorded = con.execute("SELECT version, name FROM schema_migrations").fetchall()
    # The natural keys resume and merge rely on are enforced by the schema itself.
    keys = con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    con.close()
    assert recorded == [(m.version, m.name) for m in migrations()]
    assert {(t, tuple(c)) for t, c in keys} >= {
        ("attempts", ("attempt_key",)),
        ("attempt_tests", ("attempt_key", "test_id")),
        ("task_snapshots", ("task_hash",)),
        ("response_cache", ("cache_key",)),
        ("runs", ("id",)),
        ("schema_migrations", ("version",)),
    }


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    Store.open(path).close()
    with Store.open(path) as store:
        count = store.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert count == len(migrations())


def test_a_database_from_a_newer_routr_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        store.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(StoreError, match="upgrade routr"):
        Store.open(path)


def test_read_only_open_of_a_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `routr bench` first"):
        Store.open(tmp_path / "absent.duckdb", read_only=True)


def test_a_database_locked_by_another_process_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    Store.open(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time, duckdb
                con = duckdb.connect({str(path)!r})
                print("locked", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        for read_only in (False, True):
            with pytest.raises(StoreLockedError) as info:
                Store.open(path, read_only=read_only, lock_wait_s=0.2)
            message = str(info.value)
            assert "\n" not in message
            assert f"pid {holder.pid}?" in message
            assert "--db OTHER" in message
    finally:
        holder.communicate("")
    Store.open(path).close()  # released with the process


def test_attempts_are_written_once_with_tests_and_cache(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    with Store.open(tmp_path / "r.duckdb") as store:
        begin_run(
            store,
            RunRecord("run-1", datetime(2026, 1, 1), ["routr", "bench"], "0.1.0", {"jobs": 2}),
        )
        save_snapshots(
            store, [TaskSnapshot("h" * 64, "py-task", "T", "bugfix", "python", "easy", 3, 90)] * 2
        )
        assert record_attempt(store, make_attempt("k1"))
        assert not record_attempt(store, make_attempt("k1", model="sim/other"))
        assert record_attempt(store, make_attempt("k2", solved=False, status="failed"))
        finish_run(store, "run-1", "completed")
        assert table_counts(store) == {
            "runs": 1,
            "task_snapshots": 1,
            "attempts": 2,
            "attempt_tests": 4,
            "response_cache": 2,
        }
        assert recorded_keys(store, ["k1", "k3"]) == {"k1"}
        assert cached_responses(store, ["sim/alpha"]) == {
            "cache-k1": {"text": "x"},
            "cache-k2": {"text": "x"},
        }
        assert cached_responses(store, ["sim/beta"]) == {}
        rows = rank_rows(store)
        assert [(r["model"], r["solved"]) for r in rows] == [
            ("sim/alpha", True),
            ("sim/alpha", False),
        ]
        status = store.con.execute("SELECT status, finished_at IS NOT NULL FROM runs").fetchone()
        assert status == ("completed", True)


def test_a_failed_write_leaves_no_partial_attempt(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    with Store.open(tmp_path / "r.duckdb") as store:
        bad = make_attempt("k1", transcript=[{"not json": object()}])
        with pytest.raises(TypeError):
            record_attempt(store, bad)
        assert table_counts(store)["attempts"] == 0
        assert table_counts(store)["attempt_tests"] == 0
        assert record_attempt(store, make_attempt("k1"))


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    Store.open(path).close()
    with Store.open(path, read_only=True) as store, pytest.raises(StoreError):
        finish_run(store, "x", "completed")


def test_a_provider_error_can_be_replaced_but_nothing_else(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    with Store.open(tmp_path / "r.duckdb") as store:
        record_attempt(store, make_attempt("err", status="provider_error", solved=False, tests=()))
        record_attempt(store, make_attempt("ok"))
        assert recorded_keys(store, ["err", "ok"], except_status="provider_error") == {"ok"}
        retried = make_attempt("err", status="failed", solved=False)
        assert not record_attempt(store, retried)  # without the flag: kept as it was
        assert record_attempt(store, retried, replace_status="provider_error")
        assert not record_attempt(
            store, make_attempt("ok", model="x"), replace_status="provider_error"
        )
        rows = store.con.execute("SELECT attempt_key, status FROM attempts ORDER BY 1").fetchall()
        assert rows == [("err", "failed"), ("ok", "solved")]
        assert table_counts(store)["attempt_tests"] == 4


def test_ranking_reads_only_the_newest_version_of_each_task(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    with Store.open(tmp_path / "r.duckdb") as store:
        old = TaskSnapshot("v1", "py-task", "T", "bugfix", "python", "easy", 3, 90)
        new = TaskSnapshot("v2", "py-task", "T", "bugfix", "python", "easy", 3, 95)
        save_snapshots(store, [old])
        record_attempt(store, make_attempt("a", task_hash="v1", model="sim/old"))
        save_snapshots(store, [new])  # the task was edited, then benched again
        record_attempt(store, make_attempt("b", task_hash="v2", model="sim/new"))
        assert [r["model"] for r in rank_rows(store)] == ["sim/new"]
        assert sorted(r["model"] for r in rank_rows(store, all_versions=True)) == [
            "sim/new",
            "sim/old",
        ]


def test_a_path_that_cannot_be_opened_is_one_line_naming_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "results.duckdb"
    folder.mkdir()  # e.g. --db pointed at a directory
    for read_only in (False, True):
        with pytest.raises(StoreError) as info:
            Store.open(folder, read_only=read_only)
        message = str(info.value)
        assert "\n" not in message and str(folder) in message
        assert "pass --db" in message and "is a folder, not a database" in message


def test_a_reader_of_an_unmigrated_database_is_told_to_migrate_it(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()  # a database no routr has migrated yet
    with pytest.raises(StoreError, match=r"schema version 0 .*routr db migrate --db"):
        Store.open(path, read_only=True)
    Store.open(path).close()  # the writer migrates it on open
    with Store.open(path, read_only=True) as store:
        assert store.schema_version() == latest_version()


class _FailingCommit:
    """A connection whose COMMIT hits a full disk (DuckDB raises IOException then)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def execute(self, sql: str, *args: object) -> None:
        self.statements.append(sql)
        if sql == "COMMIT":
            raise duckdb.IOException('Could not write file "r.duckdb": No space left on device')


def test_a_failed_write_to_the_file_is_one_line_naming_the_fix() -> None:
    from routr_cli.store.db import transaction

    con = _FailingCommit()
    with pytest.raises(StoreError) as info, transaction(con):
        con.execute("INSERT INTO attempts VALUES (1)")
    message = str(info.value)
    assert "\n" not in message and "No space left on device" in message
    assert "free disk space" in message
    assert con.statements[-1] == "ROLLBACK"


def test_a_version_1_database_upgrades_and_keeps_its_attempts(
    tmp_path: Path,
    make_attempt: Callable[..., AttemptRecord],
    attempt_columns_at: Callable[[int], set[str]],
) -> None:
    from routr_cli.store.write import _attempt_values

    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))  # what routr wrote before migration 002 existed
    con.execute(migrations()[0].sql)
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL)"
    )
    con.execute("INSERT INTO schema_migrations VALUES (1, 'initial', now())")
    v1_columns = [c for c in ATTEMPT_COLUMNS if c in attempt_columns_at(1)]
    old = dict(zip(ATTEMPT_COLUMNS, _attempt_values(make_attempt("old")), strict=True))
    con.execute(
        f"INSERT INTO attempts ({', '.join(v1_columns)}) VALUES ({', '.join('?' * len(v1_columns))})",
        [old[c] for c in v1_columns],
    )
    con.close()

    with Store.open(path) as store:
        assert store.schema_version() == latest_version() >= 2
        record_attempt(store, make_attempt("new", restored_harness=["conftest.py"]))
        rows = store.con.execute(
            "SELECT attempt_key, restored_harness FROM attempts ORDER BY attempt_key"
        ).fetchall()
    assert [(key, json.loads(value)) for key, value in rows] == [
        ("new", ["conftest.py"]),
        ("old", []),
    ]
