"""`routr bench` refuses tasks that are not proven valid, before any model is called;
`--allow-unvalidated` runs them and flags their attempts."""

from __future__ import annotations

import re
import shutil
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openai_stub import read_request, send_completion, serve
from routr_cli_runner import run_routr

from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.proof import remove_record

GOOD = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"
CALLS: list[int] = []


class _Counting(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        read_request(self)
        CALLS.append(1)
        send_completion(self, "no edits")

    def log_message(self, *args: Any) -> None:
        pass


def _suite(tmp_path: Path, *, unproven: str = "", empty_lists: str = "") -> Path:
    root = tmp_path / "tasks"
    shutil.copytree(GOOD, root)
    if unproven:
        remove_record(root / unproven / "task.toml")
    if empty_lists:  # a record, but nothing to fix: proven of nothing
        toml = root / empty_lists / "task.toml"
        text = re.sub(r"(?ms)^fail_to_pass = \[.*?\]\n", "fail_to_pass = []\n", toml.read_text())
        toml.write_text(text)
    return root


@pytest.mark.parametrize(
    ("kind", "why"),
    [
        ({"unproven": "good-py-slug"}, "it has no validation record"),
        ({"empty_lists": "good-py-median"}, "fail_to_pass list is empty"),
    ],
)
def test_an_unproven_task_is_refused_before_any_model_call(
    tmp_path: Path, kind: dict[str, str], why: str
) -> None:
    root = _suite(tmp_path, **kind)
    CALLS.clear()
    with serve(_Counting) as url:
        result = run_routr(
            "bench", "-m", "lmstudio/local-model", "--tasks", root,
            "--db", tmp_path / "r.duckdb",
            env={"ROUTR_LMSTUDIO_BASE_URL": url, "ROUTR_REPORTS": str(tmp_path)},
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and why in result.stderr
    assert "routr tasks validate --write" in result.stderr
    assert "--allow-unvalidated" in result.stderr
    assert CALLS == []


def test_an_edited_task_loses_its_proof(tmp_path: Path) -> None:
    root = _suite(tmp_path)
    (root / "good-py-median" / "prompt.md").write_text("Make median right.\n")
    result = run_routr("bench", "-m", "sim/frontier", "--tasks", root, "--db", tmp_path / "r.db")
    assert result.returncode == 2
    assert "good-py-median is not proven valid: it changed since it was validated" in result.stderr


@pytest.mark.docker
def test_allow_unvalidated_runs_and_flags_the_attempts(tmp_path: Path) -> None:
    root = _suite(tmp_path, unproven="good-py-slug")
    db = tmp_path / "r.duckdb"
    result = run_routr(
        "bench", "-m", "sim/frontier", "--tasks", root, "--db", db, "--sim-latency", "0",
        "--allow-unvalidated", env={"ROUTR_REPORTS": str(tmp_path)}, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 task not proven valid (good-py-slug" in result.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = dict(con.execute("SELECT task_id, unvalidated FROM attempts").fetchall())
    finally:
        con.close()
    assert rows == {"good-py-median": False, "good-py-slug": True}
