"""A real bench (simulated models over HTTP, grading in Docker) records what
`routr attempts show` opens: the applied change as a diff, per-test outcomes with their
messages, and the grading output."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from routr_cli_runner import ROUTR, run_routr

from routr_cli.paths import PROJECT_ROOT

pytestmark = pytest.mark.docker

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"


@pytest.fixture(scope="module")
def benched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("inspect") / "r.duckdb"
    # sim/budget fails some tasks and solves others: both kinds of attempt to open.
    result = run_routr(
        "bench", "-m", "sim/frontier", "-m", "sim/budget", "--tasks", FIXTURES, "--db", db,
        "--epochs", "2", timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return db


def test_a_benched_attempt_shows_its_diff_tests_and_grading_output(benched: Path) -> None:
    rows = json.loads(run_routr("attempts", "list", "--db", benched, "--json").stdout)
    graded = [r for r in rows if r["status"] in ("solved", "failed")]
    assert graded, rows
    for row in graded:
        out = run_routr("attempts", "show", row["attempt_key"][:16], "--db", benched)
        assert out.returncode == 0, out.stderr
        text = out.stdout
        diff = text.split("== applied change (unified diff) ==\n", 1)[1]
        assert diff.startswith("diff --git a/"), text
        assert "\n+" in diff and "not recorded" not in text
        grading = text.split("== grading output ==\n", 1)[1]
        assert grading.strip() and grading.strip() != "(empty)"
        assert row["task_id"] in text and re.search(r"\n== \d+ tests?\b", text)
        if row["status"] == "failed":  # a failing test says why
            data = json.loads(
                run_routr("attempts", "show", row["attempt_key"], "--db", benched, "--json").stdout
            )
            failing = [t for t in data["tests"] if t["outcome"] != "passed"]
            assert failing and all(t["message"] for t in failing if t["outcome"] == "failed")


def test_a_benched_database_exports_to_parquet_that_duckdb_reads_back(
    benched: Path, tmp_path: Path
) -> None:
    out = tmp_path / "attempts.parquet"
    result = run_routr("export", "attempts", "--format", "parquet", "-o", out, "--db", benched)
    assert result.returncode == 0, result.stderr
    listed = json.loads(run_routr("attempts", "list", "--db", benched, "--json").stdout)
    con = duckdb.connect()
    back = con.execute(f"SELECT attempt_key, model, status FROM '{out}'").fetchall()
    con.close()
    assert sorted(back) == sorted((r["attempt_key"], r["model"], r["status"]) for r in listed)
    assert len(back) == 2 * 2 * 2  # tasks x models x epochs


def test_a_bench_whose_reader_went_away_keeps_running_and_recording(tmp_path: Path) -> None:
    """`routr bench ... --json - | head -0`: the reader is gone before the first byte;
    every attempt is still graded and recorded, and nothing is printed about the pipe."""
    db = tmp_path / "r.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    proc = subprocess.Popen(
        [str(ROUTR), "bench", "-m", "sim/frontier", "--tasks", str(FIXTURES), "--db", str(db),
         "--json", "-", "--sim-latency", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    proc.stdout.close()
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err
    rows = json.loads(run_routr("attempts", "list", "--db", db, "--json").stdout)
    assert len(rows) == 2 and {r["status"] for r in rows} <= {"solved", "failed"}
