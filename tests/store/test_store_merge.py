from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from routr_cli.errors import StoreError
from routr_cli.store import Store
from routr_cli.store.merge import merge_databases
from routr_cli.store.read import table_counts
from routr_cli.store.records import AttemptRecord, AttemptTestRow, RunRecord, TaskSnapshot
from routr_cli.store.write import begin_run, record_attempt, save_snapshots

SNAPSHOT = TaskSnapshot("h" * 64, "py-task", "T", "bugfix", "python", "easy", 3, 90)


def _shard(path: Path, run_id: str, attempts: list[AttemptRecord]) -> Path:
    with Store.open(path) as store:
        begin_run(store, RunRecord(run_id, datetime(2026, 1, 1), ["routr"], "0.1.0", {}))
        save_snapshots(store, [SNAPSHOT])
        for attempt in attempts:
            record_attempt(store, attempt)
    return path


def test_merge_combines_shards_without_duplicates(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    a = _shard(tmp_path / "a.duckdb", "run-a", [make_attempt("k1"), make_attempt("k2")])
    # k2 again with different tests: the first copy (and only its tests) must survive.
    b = _shard(
        tmp_path / "b.duckdb",
        "run-b",
        [
            make_attempt("k2", tests=(AttemptTestRow("other::t", "failed", 1.0),)),
            make_attempt("k3"),
        ],
    )
    out = tmp_path / "out.duckdb"
    results = merge_databases([a, b], out)
    assert [(r.attempts_added, r.attempts_skipped) for r in results] == [(2, 0), (1, 1)]
    with Store.open(out, read_only=True) as store:
        assert table_counts(store) == {
            "runs": 2,
            "task_snapshots": 1,
            "attempts": 3,
            "attempt_tests": 6,
            "response_cache": 3,
        }
        tests_k2 = store.con.execute(
            "SELECT test_id FROM attempt_tests WHERE attempt_key = 'k2' ORDER BY 1"
        ).fetchall()
        assert tests_k2 == [("t::a",), ("t::b",)]
    # Merging again changes nothing; the inputs are untouched.
    again = merge_databases([a, b], out)
    assert [r.attempts_added for r in again] == [0, 0]
    with Store.open(a, read_only=True) as store:
        assert table_counts(store)["attempts"] == 2


def test_merge_rejects_a_missing_input_and_the_output_as_input(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    out = tmp_path / "out.duckdb"
    with pytest.raises(StoreError, match="no database"):
        merge_databases([tmp_path / "nope.duckdb"], out)
    good = _shard(tmp_path / "a.duckdb", "run-a", [make_attempt("k1")])
    with pytest.raises(StoreError, match="no database"):
        merge_databases([good, tmp_path / "typo.duckdb"], out)
    assert not out.exists()  # nothing created or merged before the bad path was found
    Store.open(out).close()
    with pytest.raises(StoreError, match="also the output"):
        merge_databases([good, out], out)
    with Store.open(out, read_only=True) as store:
        assert table_counts(store)["attempts"] == 0


def test_merge_refuses_a_shard_from_a_newer_routr(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    newer = _shard(tmp_path / "newer.duckdb", "run-a", [make_attempt("k1")])
    with Store.open(newer) as store:
        store.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(StoreError, match=r"schema version 999.*upgrade routr"):
        merge_databases([newer], tmp_path / "out.duckdb")


def test_merge_rejects_a_file_that_is_not_a_routr_database(tmp_path: Path) -> None:
    import duckdb

    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(StoreError, match="schema version 0"):
        merge_databases([other], tmp_path / "out.duckdb")


def test_a_real_attempt_replaces_a_provider_error_when_merging(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    errored = make_attempt("k1", status="provider_error", solved=False, tests=())
    a = _shard(tmp_path / "a.duckdb", "run-a", [errored, make_attempt("k2")])
    b = _shard(
        tmp_path / "b.duckdb",
        "run-b",
        [
            make_attempt("k1", status="failed", solved=False),
            make_attempt("k2", status="provider_error", solved=False),
        ],
    )
    out = tmp_path / "out.duckdb"
    merge_databases([a, b], out)
    with Store.open(out, read_only=True) as store:
        rows = store.con.execute("SELECT attempt_key, status FROM attempts ORDER BY 1").fetchall()
        assert rows == [("k1", "failed"), ("k2", "solved")]
        assert table_counts(store)["attempt_tests"] == 4


def test_a_damaged_shard_leaves_no_output_and_says_what_it_is(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    good = _shard(tmp_path / "a.duckdb", "run-a", [make_attempt("k1")])
    damaged = tmp_path / "b.duckdb"
    damaged.write_bytes(bytes(range(256)) * 40)
    out = tmp_path / "out.duckdb"
    with pytest.raises(StoreError, match=r"b\.duckdb is not a DuckDB database \(damaged"):
        merge_databases([good, damaged], out)
    assert not out.exists() and not list(tmp_path.glob("out.duckdb*"))


def test_merge_hints_for_folders(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    good = _shard(tmp_path / "a.duckdb", "run-a", [make_attempt("k1")])
    folder = tmp_path / "shards"
    folder.mkdir()
    with pytest.raises(StoreError, match=r"is a folder: pass the shard databases in it"):
        merge_databases([good, folder], tmp_path / "out.duckdb")
    with pytest.raises(StoreError, match=r"-o .* is a folder: name the merged database file"):
        merge_databases([good], folder)
    assert not (tmp_path / "out.duckdb").exists()


def test_a_merge_failing_midway_removes_the_output_it_created_but_keeps_an_existing_one(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    import routr_cli.store.merge as merge_module

    a = _shard(tmp_path / "a.duckdb", "run-a", [make_attempt("k1")])
    b = _shard(tmp_path / "b.duckdb", "run-b", [make_attempt("k2")])
    real = merge_module.merge_into
    calls: list[Path] = []

    def failing_second(out: Store, source: Path) -> object:
        calls.append(source)
        if len(calls) == 2:
            raise StoreError("disk full (simulated)")
        return real(out, source)

    monkeypatch.setattr(merge_module, "merge_into", failing_second)
    fresh = tmp_path / "fresh.duckdb"
    with pytest.raises(StoreError, match="disk full"):
        merge_databases([a, b], fresh)
    assert not fresh.exists()  # half a merge is not left behind
    existing = _shard(tmp_path / "existing.duckdb", "run-e", [make_attempt("k3")])
    calls.clear()
    with pytest.raises(StoreError, match="disk full"):
        merge_databases([a, b], existing)
    with Store.open(existing, read_only=True) as store:
        assert table_counts(store)["attempts"] == 2  # its own and a's, committed whole
