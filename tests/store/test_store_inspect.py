"""Store readers for `routr runs` and `routr attempts`: listing, filters, unique key
prefixes, and attempts recorded before migration 003 reading as "not recorded"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from routr_cli.errors import ConfigError
from routr_cli.store import Store, migrations
from routr_cli.store.inspect import (
    AttemptFilter,
    list_attempts,
    list_runs,
    show_attempt,
    show_run,
)
from routr_cli.store.records import AttemptRecord, AttemptTestRow, RunRecord
from routr_cli.store.write import ATTEMPT_COLUMNS, _attempt_values, begin_run, record_attempt


def _run(store: Store, run_id: str, started: datetime) -> None:
    begin_run(store, RunRecord(run_id, started, ["routr", "bench"], "0.1.0", {"epochs": 1}))


@pytest.fixture
def db(tmp_path: Path, make_attempt: Callable[..., AttemptRecord]) -> Path:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        _run(store, "20260101T100000-aaaa1111", datetime(2026, 1, 1, 10))
        _run(store, "20260102T100000-bbbb2222", datetime(2026, 1, 2, 10))
        record_attempt(
            store,
            make_attempt(
                "abc111",
                run_id="20260101T100000-aaaa1111",
                diff="--- a/x.py\n+++ b/x.py\n",
                grade_output="1 passed",
            ),
        )
        record_attempt(
            store,
            make_attempt(
                "abc222",
                run_id="20260102T100000-bbbb2222",
                model="sim/beta",
                status="failed",
                solved=False,
                created_at=datetime(2026, 1, 2, 10, 5),
                tests=(AttemptTestRow("t::a", "failed", 0.1, "assert 1 == 2"),),
                diff="",
                grade_output="1 failed",
            ),
        )
        record_attempt(
            store,
            make_attempt(
                "def333",
                run_id="20260102T100000-bbbb2222",
                model="sim/beta",
                status="provider_error",
                solved=False,
                created_at=datetime(2026, 1, 2, 10, 6),
                tests=(),
            ),
        )
    return path


def test_runs_are_listed_newest_first_with_what_they_recorded(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        runs = list_runs(store)
        newest = list_runs(store, limit=1)
    assert [r["id"] for r in runs] == ["20260102T100000-bbbb2222", "20260101T100000-aaaa1111"]
    assert newest == runs[:1]
    assert (runs[0]["attempts"], runs[0]["solved"], runs[0]["provider_errors"]) == (2, 0, 1)
    assert runs[0]["models"] == ["sim/beta"] and runs[1]["models"] == ["sim/alpha"]
    assert runs[0]["started_at"] == "2026-01-02T10:00:00"


def test_a_run_is_shown_by_a_unique_prefix(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        run = show_run(store, "20260102")
        with pytest.raises(ConfigError, match="more than one run id"):
            show_run(store, "2026")
        with pytest.raises(ConfigError, match=r"no run id starts with 'zz'.*routr runs list"):
            show_run(store, "zz")
    assert run["argv"] == ["routr", "bench"] and run["config"] == {"epochs": 1}
    assert run["statuses"] == {"failed": 1, "provider_error": 1}
    assert [m["model"] for m in run["per_model"]] == ["sim/beta"]


def test_attempts_are_filtered_by_model_task_status_and_run(db: Path) -> None:
    def keys(**filters: object) -> list[str]:
        with Store.open(db, read_only=True) as store:
            return [a["attempt_key"] for a in list_attempts(store, AttemptFilter(**filters))]  # type: ignore[arg-type]

    assert keys() == ["def333", "abc222", "abc111"]
    assert keys(models=("sim/alpha",)) == ["abc111"]
    assert keys(statuses=("failed", "provider_error")) == ["def333", "abc222"]
    assert keys(runs=("20260101",)) == ["abc111"]
    assert keys(tasks=("nosuch",)) == []
    assert keys(limit=1) == ["def333"]


def test_an_attempt_is_shown_whole_by_a_unique_key_prefix(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        failed = show_attempt(store, "abc2")
        with pytest.raises(ConfigError, match=r"more than one attempt key.*more characters"):
            show_attempt(store, "abc")
        with pytest.raises(ConfigError, match="empty attempt key"):
            show_attempt(store, " ")
    assert failed["diff"] == "" and failed["grade_output"] == "1 failed"
    assert failed["tests"] == [
        {"test_id": "t::a", "outcome": "failed", "duration_s": 0.1, "message": "assert 1 == 2"}
    ]
    assert failed["transcript"] == [{"role": "user", "content": "fix it"}]
    assert failed["solver_params"] == {"max_turns": 1}


def test_an_attempt_from_before_migration_3_reads_as_not_recorded(
    tmp_path: Path,
    make_attempt: Callable[..., AttemptRecord],
    attempt_columns_at: Callable[[int], set[str]],
) -> None:
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))  # what routr wrote before migration 003 existed
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL)"
    )
    for migration in migrations()[:2]:
        con.execute(migration.sql)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, now())",
            [migration.version, migration.name],
        )
    old_columns = [c for c in ATTEMPT_COLUMNS if c in attempt_columns_at(2)]
    old = dict(zip(ATTEMPT_COLUMNS, _attempt_values(make_attempt("old1")), strict=True))
    con.execute(
        f"INSERT INTO attempts ({', '.join(old_columns)}) VALUES ({', '.join('?' * len(old_columns))})",
        [old[c] for c in old_columns],
    )
    con.execute("INSERT INTO attempt_tests VALUES ('old1', 't::a', 'passed', 0.1)")
    con.close()

    with Store.open(path):  # a writable open migrates
        pass
    with Store.open(path, read_only=True) as store:
        attempt = show_attempt(store, "old1")
    assert attempt["diff"] is None and attempt["grade_output"] is None
    assert attempt["tests"][0]["message"] is None and attempt["tests"][0]["outcome"] == "passed"
