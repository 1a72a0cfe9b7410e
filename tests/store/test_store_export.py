"""`routr export`: DuckDB writes every format; each file is read back and checked, and
bad targets are one line before any work."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from routr_cli_runner import run_routr

from routr_cli.store import Store
from routr_cli.store.export import markdown_table
from routr_cli.store.records import AttemptRecord, RunRecord, TaskSnapshot
from routr_cli.store.write import begin_run, record_attempt, save_snapshots

KEYS = ["k1", "k2", "k3"]


@pytest.fixture
def db(tmp_path: Path, make_attempt: Callable[..., AttemptRecord]) -> Path:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        begin_run(store, RunRecord("run-1", datetime(2026, 1, 1), ["routr"], "0.1.0", {}))
        save_snapshots(
            store,
            [
                TaskSnapshot(f"h{i}", f"task-{i}", "t", "bugfix", "python", "easy", 1, 1)
                for i in range(3)
            ],
        )
        for i, key in enumerate(KEYS):
            solved = i != 1
            record_attempt(
                store,
                make_attempt(
                    key,
                    task_id=f"task-{i}",
                    task_hash=f"h{i}",
                    model="sim/alpha" if i < 2 else "sim/beta",
                    solved=solved,
                    status="solved" if solved else "failed",
                    error_message="a | pipe\nand a newline" if i == 1 else None,
                    created_at=datetime(2026, 1, 1, 12, i),
                    diff="diff --git a/x b/x\n",
                ),
            )
    return path


def _read(path: Path, reader: str) -> list[tuple[object, ...]]:
    return duckdb.sql(f"SELECT attempt_key, solved FROM {reader}('{path}') ORDER BY 1").fetchall()


@pytest.mark.parametrize(
    ("fmt", "reader"),
    [
        ("parquet", "read_parquet"),
        ("csv", "read_csv"),
        ("jsonl", "read_json"),
        ("json", "read_json"),
    ],
)
def test_attempts_export_reads_back(db: Path, tmp_path: Path, fmt: str, reader: str) -> None:
    out = tmp_path / f"attempts.{fmt}"
    result = run_routr("export", "attempts", "--format", fmt, "-o", out, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and f"wrote 3 rows to {out}" in result.stderr
    assert _read(out, reader) == [("k1", True), ("k2", False), ("k3", True)]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".routr-export")] == []


def test_parquet_keeps_types_and_leaves_heavy_columns_to_full(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.parquet"  # the format comes from the suffix
    assert run_routr("export", "attempts", "-o", out, "--db", db).returncode == 0
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM '{out}'").fetchall()[i][:2] for i in range(3))
    columns = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM '{out}'").fetchall()}
    assert columns["created_at"] == "TIMESTAMP" and columns["cost_usd"] == "DOUBLE"
    assert columns["solved"] == "BOOLEAN" and types
    assert "transcript" not in columns and "diff" not in columns
    full = tmp_path / "full.parquet"
    assert run_routr("export", "attempts", "--full", "-o", full, "--db", db).returncode == 0
    diffs = duckdb.sql(f"SELECT DISTINCT diff FROM '{full}'").fetchall()
    assert diffs == [("diff --git a/x b/x\n",)]


def test_csv_and_markdown_go_to_stdout_and_filters_apply(db: Path) -> None:
    out = run_routr("export", "attempts", "--db", db, "-o", "-", "--model", "sim/alpha")
    assert out.returncode == 0 and out.stderr == ""
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert sorted(r["attempt_key"] for r in rows) == ["k1", "k2"]
    assert {r["error_message"] for r in rows} == {"", "a | pipe\nand a newline"}
    md = run_routr("export", "attempts", "--db", db, "-f", "markdown", "--status", "failed")
    lines = md.stdout.splitlines()
    assert lines[0].startswith("| attempt_key | run_id |") and lines[1].startswith("|---|")
    assert len(lines) == 3 and "a \\| pipe and a newline" in lines[2]
    assert "sim/alpha (simulated)" in lines[2]  # people read markdown: the label is there


def test_leaderboard_export_is_what_rank_json_prints(db: Path, tmp_path: Path) -> None:
    ranked = json.loads(run_routr("rank", "--json", "--db", db).stdout)
    out = tmp_path / "board.parquet"
    result = run_routr("export", "leaderboard", "-o", out, "--db", db)
    assert result.returncode == 0, result.stderr
    cursor = duckdb.sql(f"SELECT * FROM '{out}'")
    names = cursor.columns
    exported = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert len(exported) == len(ranked) > 0
    for mine, theirs in zip(exported, ranked, strict=True):
        for key, value in theirs.items():
            if isinstance(value, float):
                assert mine[key] == pytest.approx(value), key
            elif isinstance(mine[key], datetime):  # a timestamp string: DuckDB types it
                assert str(mine[key]) == value, key
            elif not isinstance(value, (dict, list)):
                assert mine[key] == value, key
    as_json = json.loads(run_routr("export", "leaderboard", "-f", "json", "--db", db).stdout)
    assert as_json == ranked


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-f", "parquet"], "parquet is binary and needs a file: pass -o FILE.parquet"),
        (["-f", "xlsx"], "unknown format 'xlsx': use one of csv, parquet"),
        (["-o", "{tmp}"], "is a folder: pass a file name with -o"),
        (["-o", "{tmp}/nope/a.csv"], "does not exist: create it or pick another -o"),
    ],
)
def test_bad_targets_are_one_line_before_any_work(
    db: Path, tmp_path: Path, args: list[str], needle: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run_routr("export", "attempts", *argv, "--db", tmp_path / "missing.duckdb")
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr and result.stderr.count("\n") == 1 and result.stdout == ""


def test_markdown_escapes_what_would_break_a_table() -> None:
    text = markdown_table(["model", "note"], [("m", "a|b\nc\\d"), ("n", None)])
    assert text.splitlines()[2] == "| m | a\\|b c\\\\d |"
    assert text.splitlines()[3] == "| n |  |"


def test_rank_keeps_model_pass_rate_interval_and_n_at_60_columns(db: Path) -> None:
    narrow = run_routr("rank", "--db", db, env={"COLUMNS": "60"})
    assert narrow.returncode == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert max(map(len, lines)) <= 60, narrow.stdout
    header = next(line for line in lines if "model" in line and "pass" in line)
    for key in ("#", "tie", "model", "pass", "95% CI", "tasks"):
        assert key in header, key
    assert "sim/alpha" in narrow.stdout and "not shown at 60 columns" in narrow.stdout
    wide = run_routr("rank", "--db", db, env={"COLUMNS": "220"})
    assert "not shown" not in wide.stdout and "P(top1)" in wide.stdout
