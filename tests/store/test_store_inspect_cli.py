"""`routr runs` and `routr attempts` as a user runs them: real CLI processes over a real
DuckDB file. Model answers are hostile: terminal controls in them are shown, not obeyed."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from routr_cli_runner import run_routr

from routr_cli.store import Store
from routr_cli.store.records import AttemptRecord, AttemptTestRow, RunRecord
from routr_cli.store.write import begin_run, record_attempt

RUN = "20260101T100000-aaaa1111"
ATTACK = "done.\x1b]0;pwned\x07\x1b[2J\r\u202eevil"  # retitle, clear screen, overwrite, reorder


@pytest.fixture
def db(tmp_path: Path, make_attempt: Callable[..., AttemptRecord]) -> Path:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        begin_run(store, RunRecord(RUN, datetime(2026, 1, 1, 10), ["routr"], "0.1.0", {}))
        transcript = [
            {"role": "system", "content": "You are an expert."},
            {"role": "user", "content": "Fix add().\n" + "x" * 9000},
            {"role": "assistant", "content": ATTACK},
        ]
        record_attempt(
            store,
            make_attempt(
                "feed01",
                run_id=RUN,
                status="failed",
                solved=False,
                reason="tests_failed",
                score=0.5,
                transcript=transcript,
                diff="diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-a - b\n+a + b\n",
                grade_output="FAILED tests/test_m.py::test_sub - assert 3 == -1",
                tests=(
                    AttemptTestRow("t::add", "passed", 0.1),
                    AttemptTestRow("t::sub", "failed", 0.2, "assert 3 == -1"),
                ),
            ),
        )
        record_attempt(
            store, make_attempt("beef02", run_id=RUN, model="sim/a-very-long-model-name-indeed")
        )
    return path


def test_attempts_list_prints_a_table_and_json(db: Path) -> None:
    table = run_routr("attempts", "list", "--db", db)
    assert table.returncode == 0, table.stderr
    assert "feed01" in table.stdout and "2 attempts" in table.stdout
    assert "sim/alpha (simulated)" in table.stdout  # simulated is labelled
    rows = json.loads(
        run_routr("attempts", "list", "--db", db, "--json", "--status", "failed").stdout
    )
    assert [r["attempt_key"] for r in rows] == ["feed01"]
    assert rows[0]["simulated"] is True


def test_attempts_show_opens_prompt_answer_diff_tests_and_output(db: Path) -> None:
    shown = run_routr("attempts", "show", "fee", "--db", db)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    for expected in (
        "status    failed (tests_failed), score 0.50, 1 turn",
        "== prompt: system ==\nYou are an expert.",
        "== answer, turn 1 ==",
        "== applied change (unified diff) ==\ndiff --git a/m.py b/m.py",
        "+a + b",
        "== 2 tests: 1 failed, 1 passed ==",
        "failed   t::sub  0.20 s\n         assert 3 == -1",
        "== grading output ==\nFAILED tests/test_m.py::test_sub",
        "more characters: --full shows everything",
    ):
        assert expected in out, expected
    full = run_routr("attempts", "show", "feed01", "--full", "--db", db).stdout
    assert "x" * 9000 in full and "--full shows everything" not in full


def test_terminal_controls_in_a_model_answer_are_shown_not_obeyed(db: Path) -> None:
    # Control: the answer really carries the escape sequences into the database, so a
    # printer that wrote it raw would clear the screen and retitle the terminal.
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT transcript FROM attempts WHERE attempt_key = 'feed01'").fetchone()
    con.close()
    assert "\x1b[2J" in json.loads(stored[0])[2]["content"]

    out = run_routr("attempts", "show", "feed01", "--db", db).stdout
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\u202e" not in out
    assert "done.\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\u202eevil" in out


def test_an_unknown_or_ambiguous_key_is_one_line(
    db: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    missing = run_routr("attempts", "show", "zzz", "--db", db)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "routr attempts list" in missing.stderr
    with Store.open(db) as store:
        record_attempt(store, make_attempt("feed03", run_id=RUN))
    ambiguous = run_routr("attempts", "show", "feed", "--db", db)
    assert ambiguous.returncode == 2 and "more characters" in ambiguous.stderr
    assert ambiguous.stderr.count("\n") == 1


def test_an_old_attempt_says_what_was_not_recorded(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("UPDATE attempts SET diff = NULL, grade_output = NULL WHERE attempt_key = 'beef02'")
    con.close()
    out = run_routr("attempts", "show", "beef", "--db", db).stdout
    assert out.count("(not recorded: this attempt predates Routr storing it)") == 2


def test_runs_list_and_show(db: Path) -> None:
    listed = run_routr("runs", "list", "--db", db)
    assert listed.returncode == 0 and RUN in listed.stdout and "1 run" in listed.stdout
    shown = run_routr("runs", "show", "2026", "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert f"run       {RUN}" in shown.stdout and "2 attempts, 1 solved" in shown.stdout
    data = json.loads(run_routr("runs", "show", RUN, "--db", db, "--json").stdout)
    assert data["statuses"] == {"failed": 1, "solved": 1}


def test_tables_keep_their_key_columns_at_60_columns(db: Path) -> None:
    narrow = run_routr("attempts", "list", "--db", db, env={"COLUMNS": "60"})
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60, narrow.stdout
    assert "feed01" in narrow.stdout and "failed" in narrow.stdout
    assert "sim/a-very-long-mo" in narrow.stdout  # a long model name folds, never vanishes
    assert "not shown at 60 columns" in narrow.stdout
    wide = run_routr("attempts", "list", "--db", db, env={"COLUMNS": "200"})
    assert "not shown" not in wide.stdout and RUN in wide.stdout


def test_show_names_a_suspect_attempt_and_an_unvalidated_task(
    db: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    hit = {"rule": "forced-exit", "path": "m.py", "line": 3, "text": "os._exit(0)"}
    with Store.open(db) as store:
        record_attempt(
            store,
            make_attempt(
                "sus001", run_id=RUN, status="suspect", solved=False, suspect=True,
                suspect_hits=[hit], unvalidated=True,
            ),
        )  # fmt: skip
    out = run_routr("attempts", "show", "sus", "--db", db).stdout
    assert "suspect   1 static scan hit (forced-exit), not reviewed" in out
    assert "`routr attempts review sus001` lists them" in out
    assert "not proven valid when benched" in out
    plain = run_routr("attempts", "show", "feed01", "--db", db).stdout
    assert "suspect " not in plain and "not proven valid" not in plain


def test_a_long_list_says_how_much_it_left_out(
    db: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    with Store.open(db) as store:
        for i in range(3):
            record_attempt(store, make_attempt(f"more{i}", run_id=RUN))
    limited = run_routr("attempts", "list", "--db", db, "--limit", "2")
    assert "newest 2 of 5 attempts (--limit N for more)" in limited.stdout
    everything = json.loads(run_routr("attempts", "list", "--db", db, "--json").stdout)
    assert len(everything) == 5


def test_the_diff_alone_is_a_patch_git_applies(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    from routr_cli.tasks.diff import change_diff

    original = {"m.py": "def add(a, b):\n    return a - b\n"}
    change = {"m.py": "def add(a, b):\n    return a + b\n", "new.txt": "hello\n"}
    path = tmp_path / "p.duckdb"
    with Store.open(path) as store:
        record_attempt(store, make_attempt("patch01", diff=change_diff(original, change)))
        record_attempt(store, make_attempt("old0001", diff=None))
    patch = run_routr("attempts", "show", "patch", "--diff", "--db", path)
    assert patch.returncode == 0, patch.stderr
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "m.py").write_text(original["m.py"])
    (repo / "change.patch").write_text(patch.stdout)
    applied = subprocess.run(["git", "apply", "change.patch"], cwd=repo, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    assert (repo / "m.py").read_text() == change["m.py"]
    assert (repo / "new.txt").read_text() == "hello\n"
    old = run_routr("attempts", "show", "old", "--diff", "--db", path)
    assert old.returncode == 2 and "predates Routr storing diffs" in old.stderr
