"""Task families end to end: task.toml's `family` reaches the bench's snapshot, the store
keeps it (migration 007), both readers return it, and the ranking's interval widens when
tasks of one origin move together (they are one unit of evidence, not several)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ranking_testkit import attempt_record

from routr_cli.bench.session import snapshot
from routr_cli.ranking import standings
from routr_cli.store import Store
from routr_cli.store.frame import read_attempt_frame, read_attempt_summary
from routr_cli.store.records import TaskSnapshot
from routr_cli.store.write import record_attempt, save_snapshots
from routr_cli.tasks.load import load_task

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks" / "good-py-median"
TASKS = 24
FAMILY_SIZE = 4  # six origins of four near-copies each


def test_the_bench_snapshot_carries_task_toml_s_family(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GOOD, tmp_path / GOOD.name))
    assert snapshot(load_task(folder)).family is None
    toml = folder / "task.toml"
    toml.write_text(toml.read_text().replace("[grade]", 'family = "exercism:median"\n\n[grade]', 1))
    assert snapshot(load_task(folder)).family == "exercism:median"


def _db(path: Path, *, families: bool) -> Path:
    """Two models; sim/a solves whole families (task outcomes agree within a family)."""
    with Store.open(path) as store:
        save_snapshots(
            store,
            [
                TaskSnapshot(
                    f"h{t:02d}",
                    f"t{t:02d}",
                    "T",
                    ("bugfix", "feature")[t % 2],
                    "go",
                    "easy",
                    1,
                    1,
                    f"origin:{t // FAMILY_SIZE}" if families else None,
                )
                for t in range(TASKS)
            ],
        )
        for t in range(TASKS):
            record_attempt(store, attempt_record("sim/a", t, (t // FAMILY_SIZE) % 2 == 0))
            record_attempt(store, attempt_record("sim/b", t, t % 3 == 0))
    return path


def test_family_round_trips_through_the_store_and_both_readers(tmp_path: Path) -> None:
    path = _db(tmp_path / "r.duckdb", families=True)
    frame = read_attempt_frame(path)
    expected = {f"t{t:02d}": f"origin:{t // FAMILY_SIZE}" for t in range(TASKS)}
    assert dict(zip(frame.task_id, frame.family, strict=True)) == expected
    cells = read_attempt_summary(path).cells
    assert dict(zip(cells.task_id, cells.family, strict=True)) == expected
    plain = read_attempt_frame(_db(tmp_path / "plain.duckdb", families=False))
    assert list(plain.family) == list(plain.task_id)  # NULL: the task is its own family


def _overall(path: Path, model: str) -> dict[str, float]:
    rows = standings(read_attempt_summary(path), draws=2000).as_json()
    (row,) = [r for r in rows if r["model"] == model and r["category"] == "all"]
    return row


def test_the_interval_widens_when_tasks_are_clustered_by_family(tmp_path: Path) -> None:
    clustered = _overall(_db(tmp_path / "fam.duckdb", families=True), "sim/a")
    separate = _overall(_db(tmp_path / "plain.duckdb", families=False), "sim/a")
    assert clustered["pass_rate"] == separate["pass_rate"] == pytest.approx(0.5)
    assert clustered["n_tasks"] == separate["n_tasks"] == TASKS
    width = {
        "clustered": clustered["ci_high"] - clustered["ci_low"],
        "separate": separate["ci_high"] - separate["ci_low"],
    }
    # 6 independent families carry less evidence than 24 independent tasks: about
    # sqrt(4) = 2x wider. The control: without families the interval is the narrow one.
    assert width["clustered"] > 1.5 * width["separate"], width
