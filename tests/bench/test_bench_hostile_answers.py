"""One model's hostile answer fails its own attempts; the run goes on for every model.

A real ``routr bench`` process, a real OpenAI-compatible endpoint on loopback answering
with edits a sandbox cannot write (a 300-character file name, a lone surrogate, a
control character, an oversized answer), the real sim server and Docker grading.
Before issue 7 the long name stopped the whole run with exit 3 on every resume.
Also: a passing answer that hits the static scan is recorded suspect, not solved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openai_stub import read_request, send_completion, serve
from routr_cli_runner import run_routr

from routr_cli.paths import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"

pytestmark = pytest.mark.docker

HOSTILE_ANSWERS = {
    "good-py-median": "FILE: " + "a" * 300 + ".py\n```\nx = 1\n```\n",
    "good-py-slug": "FILE: pkg/\ud800.py\n```\nx = 1\n```\n",
}


class _Hostile(BaseHTTPRequestHandler):
    """Answers each task with a hostile edit, chosen by the task named in the prompt."""

    def do_POST(self) -> None:
        prompt = json.dumps(read_request(self)["messages"])
        answer = next(
            (a for task, a in HOSTILE_ANSWERS.items() if task.split("-")[-1] in prompt),
            "FILE: bad\x01name.py\n```\nx = 1\n```\n",
        )
        send_completion(self, answer)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_hostile_path_fails_its_attempt_and_the_run_completes(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    with serve(_Hostile) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
        env.update(ROUTR_REPORTS=str(tmp_path / "reports"), ROUTR_LMSTUDIO_BASE_URL=url)
        result = subprocess.run(
            [sys.executable, "-m", "routr_cli", "bench", "-m", "lmstudio/local-model",
             "-m", "sim/frontier", "--tasks", str(FIXTURES), "--db", str(db),
             "--sim-latency", "0"],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT model, task_id, status, error_message FROM attempts ORDER BY model, task_id"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 4, rows
    hostile = [r for r in rows if r[0] == "lmstudio/local-model"]
    assert [r[2] for r in hostile] == ["malformed_edit", "malformed_edit"]
    assert "longer than 255 bytes" in hostile[0][3]
    assert "not valid Unicode" in hostile[1][3]
    others = [r for r in rows if r[0] == "sim/frontier"]
    assert all(r[2] not in ("sandbox_error", "malformed_edit") for r in others), others


class _PassingButSuspect(BaseHTTPRequestHandler):
    """Answers good-py-median with the right fix plus an exit hook: the tests pass."""

    def do_POST(self) -> None:
        read_request(self)
        fix = (FIXTURES / "good-py-median" / "solution" / "stats_kit" / "center.py").read_text()
        send_completion(self, f"FILE: stats_kit/center.py\n```\nimport atexit\n{fix}```\n")

    def log_message(self, *args: Any) -> None:
        pass


def test_a_passing_change_with_a_scan_hit_is_suspect_until_accepted(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    env = {"ROUTR_REPORTS": str(tmp_path / "reports")}
    with serve(_PassingButSuspect) as url:
        result = run_routr(
            "bench", "-m", "lmstudio/local-model", "--tasks", FIXTURES, "--task",
            "good-py-median", "--db", db,
            env={**env, "ROUTR_LMSTUDIO_BASE_URL": url}, timeout=600,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 solved" in result.stderr

    def row() -> tuple[Any, ...]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            found = con.execute(
                "SELECT attempt_key, status, solved, reason, suspect, score FROM attempts"
            ).fetchone()
        finally:
            con.close()
        assert found is not None
        return tuple(found)

    key, status, solved, reason, suspect, score = row()
    assert (status, solved, reason, suspect, score) == ("suspect", False, "suspect", True, 1.0)
    shown = run_routr("attempts", "review", key[:10], "--db", db, env=env)
    assert "py-at-exit" in shown.stdout and "stats_kit/center.py:1" in shown.stdout
    accepted = run_routr("attempts", "review", key[:10], "--accept", "--db", db, env=env)
    assert accepted.returncode == 0, accepted.stderr
    assert row()[1:3] == ("solved", True)
