"""`routr attempts review`: a suspect attempt counts as solved only once a person accepts
it; rejecting takes that back; the flag, hits and verdict stay on the record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
from routr_cli_runner import run_routr

from routr_cli.store import Store
from routr_cli.store.records import AttemptRecord
from routr_cli.store.write import record_attempt

HIT = {"rule": "py-at-exit", "path": "pkg/__init__.py", "line": 3, "text": "import atexit"}


def _db(tmp_path: Path, make_attempt: Callable[..., AttemptRecord]) -> Path:
    path = tmp_path / "r.duckdb"
    flagged = {"suspect": True, "suspect_hits": [HIT], "solved": False}
    with Store.open(path) as store:
        record_attempt(store, make_attempt("aaa111", status="suspect", reason="suspect", **flagged))
        record_attempt(
            store, make_attempt("bbb222", status="failed", reason="tests_failed", **flagged)
        )
        record_attempt(store, make_attempt("ccc333"))  # solved, nothing flagged
    return path


def _row(path: Path, key: str) -> tuple[object, ...]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute(
            "SELECT status, solved, reason, review, reviewed_at IS NOT NULL FROM attempts "
            "WHERE attempt_key = ?",
            [key],
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return tuple(row)


def test_accept_then_reject_a_suspect_attempt(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    db = _db(tmp_path, make_attempt)
    shown = run_routr("attempts", "review", "aaa", "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "py-at-exit" in shown.stdout and "pkg/__init__.py:3" in shown.stdout
    assert "not reviewed; decide with --accept or --reject" in shown.stdout
    assert _row(db, "aaa111") == ("suspect", False, "suspect", None, False)

    accepted = run_routr("attempts", "review", "aaa1", "--accept", "--db", db)
    assert accepted.returncode == 0, accepted.stderr
    assert "accepted, now counts as solved" in accepted.stdout
    assert _row(db, "aaa111") == ("solved", True, None, "accepted", True)

    rejected = run_routr("attempts", "review", "aaa111", "--reject", "--db", db)
    assert "rejected, now counts as not solved" in rejected.stdout
    assert _row(db, "aaa111") == ("suspect", False, "suspect", "rejected", True)


def test_accepting_a_flagged_failure_cannot_make_it_pass(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    db = _db(tmp_path, make_attempt)
    result = run_routr("attempts", "review", "bbb", "--accept", "--db", db)
    assert result.returncode == 0, result.stderr
    assert _row(db, "bbb222") == ("failed", False, "tests_failed", "accepted", True)


def test_review_errors_are_one_line_naming_the_fix(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    db = _db(tmp_path, make_attempt)
    cases = [
        (("ccc", "--accept"), "not flagged by the static scan"),
        (("zzz", "--accept"), "no attempt"),
        (("aaa", "--accept", "--reject"), "give one verdict"),
    ]
    for args, message in cases:
        result = run_routr("attempts", "review", *args, "--db", db)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    missing = run_routr("attempts", "review", "aaa", "--db", tmp_path / "none.duckdb")
    assert missing.returncode == 2 and "no results database" in missing.stderr
