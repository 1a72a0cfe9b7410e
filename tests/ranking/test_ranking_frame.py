"""The attempt frame from a real DuckDB file: one query, newest task versions, and
columns later migrations add (suspect, family) read when present."""

from __future__ import annotations

from pathlib import Path

import pytest
from ranking_testkit import attempt_record

from routr_cli.errors import ConfigError
from routr_cli.ranking import attempt_frame_from_rows
from routr_cli.ranking.frame import FRAME_COLUMNS
from routr_cli.store import Store
from routr_cli.store.frame import attempt_frame_sql, read_attempt_frame
from routr_cli.store.records import TaskSnapshot
from routr_cli.store.write import record_attempt, save_snapshots


def _store(path: Path) -> Path:
    with Store.open(path) as store:
        save_snapshots(
            store,
            [
                TaskSnapshot(f"h{t:02d}", f"t{t:02d}", "T", "bugfix", "go", "hard", 1, 1)
                for t in range(3)
            ],
        )
        for t in range(3):
            record_attempt(store, attempt_record("sim/a", t, t == 0))
        record_attempt(store, attempt_record("sim/a", 1, True, solver="repair"))
    return path


def test_the_frame_has_every_column_and_shown_solver_names(tmp_path: Path) -> None:
    frame = read_attempt_frame(_store(tmp_path / "r.duckdb"))
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == 4 and set(frame.solver) == {"edit", "repair@2"}
    assert set(frame.language) == {"go"} and set(frame.difficulty) == {"hard"}
    assert list(frame.family) == list(frame.task_id)  # no family: the task is its own
    assert not frame.suspect.any() and frame.finished_at.notna().all()


def test_suspect_and_family_columns_are_read_when_the_store_has_them(tmp_path: Path) -> None:
    path = _store(tmp_path / "r.duckdb")
    with Store.open(path) as store:  # suspect: migration 004; family: migration 007
        store.con.execute("UPDATE attempts SET suspect = true WHERE task_id = 't01'")
        store.con.execute(
            "UPDATE task_snapshots SET family = 'ini' WHERE task_id IN ('t00', 't01')"
        )
    frame = read_attempt_frame(path)
    assert dict(zip(frame.task_id, frame.suspect, strict=True)) == {
        "t00": False,
        "t01": True,
        "t02": False,
    }
    assert dict(zip(frame.task_id, frame.family, strict=True)) == {
        "t00": "ini",
        "t01": "ini",
        "t02": "t02",
    }


def test_a_database_without_the_family_column_still_ranks(tmp_path: Path) -> None:
    path = _store(tmp_path / "r.duckdb")
    with Store.open(path) as store:  # as a database written before migration 007 reads
        store.con.execute("ALTER TABLE task_snapshots DROP COLUMN family")
        frame = store.con.execute(attempt_frame_sql(store)).df()
    assert list(frame.family) == list(frame.task_id)


def test_unknown_source_and_rows_without_a_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown source 'feedback'"):
        read_attempt_frame(_store(tmp_path / "r.duckdb"), source="feedback")
    with pytest.raises(ValueError, match="needs a model"):
        attempt_frame_from_rows([{"task_id": "t"}])
    assert attempt_frame_from_rows([]).empty
