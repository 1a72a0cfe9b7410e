"""`routr tasks validate` against the real Docker sandbox: fixtures, --write, import round trips."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from routr_cli_runner import run_routr

pytestmark = pytest.mark.docker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOOD = FIXTURES / "good_tasks"
BROKEN = FIXTURES / "broken_tasks"


def routr(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_routr(*args, env=env, timeout=600)


def test_good_fixtures_are_valid() -> None:
    result = routr("tasks", "validate", "--tasks", GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(
        r"ok good-py-median \(1 run, 1 fail_to_pass, 2 pass_to_pass, [\d.]+ s\)", lines[0]
    )
    assert re.fullmatch(
        r"ok good-py-slug \(1 run, 2 fail_to_pass, 1 pass_to_pass, [\d.]+ s\)", lines[1]
    )
    assert lines[2].startswith("2 valid, 0 invalid of 2 tasks")


# folder -> what its one line must say (the loader cases name the file and field).
EXPECTED_BROKEN = {
    "already-solved": "fail_to_pass is empty and every test already passes on repo/ alone",
    "prompt-leaks-test": "prompt.md quotes hidden code from tests/test_greet.py: 'def test_exclaims()",
    "reference-fails-test": "the reference does not pass 1 test (failed): tests.test_greet::test_names_the_person",
    "unknown-test-id": "listed test id(s) not in the report: tests.test_greet::test_waves_goodbye",
    "missing-task-toml": "missing-task-toml: missing task.toml",
    "missing-prompt": "missing-prompt: missing prompt.md",
    "missing-repo": "missing-repo: missing repo/",
    "missing-tests": "missing-tests: missing tests/",
    "missing-solution": "missing-solution: missing solution/",
    "invalid-toml": "invalid-toml/task.toml: invalid TOML",
    "unknown-top-field": "unknown-top-field/task.toml: author: unknown field",
    "unknown-grade-field": "unknown-grade-field/task.toml: grade.retries: unknown field",
    "missing-title": "missing-title/task.toml: title: missing required field",
    "id-mismatch": "id-mismatch/task.toml: id: 'some-other-id' must equal the folder name",
    "bad_id_chars": "bad_id_chars/task.toml: id: 'bad_id_chars' must be 3-64 characters",
    "bad-difficulty": "bad-difficulty/task.toml: difficulty: 'trivial' must be one of",
    "delete-missing-path": "delete-missing-path/task.toml: solution.delete: 'old_greet.py' does not exist",
    "empty-tests": "empty-tests/tests: empty tests/",
    "unknown-image": "task.toml: image: unknown sandbox image 'cobol'",
    "reference-edits-harness": "solution/conftest.py: the reference changes a protected test-harness file",
}


def test_broken_fixtures_give_exactly_one_clear_line_each() -> None:
    result = routr("tasks", "validate", "--tasks", BROKEN, "--jobs", "2")
    assert result.returncode == 1
    *task_lines, summary = result.stdout.splitlines()
    assert summary.startswith(
        f"0 valid, {len(EXPECTED_BROKEN)} invalid of {len(EXPECTED_BROKEN)} tasks"
    )
    assert len(task_lines) == len(EXPECTED_BROKEN)
    by_id = {line.split(":", 1)[0].removeprefix("INVALID "): line for line in task_lines}
    assert set(by_id) == set(EXPECTED_BROKEN)
    for folder, expected in EXPECTED_BROKEN.items():
        assert expected in by_id[folder], by_id[folder]


def _copy_with_empty_lists(src: Path, dst_root: Path) -> Path:
    dst = dst_root / src.name
    shutil.copytree(src, dst)
    toml = dst / "task.toml"
    text = toml.read_text()
    text = re.sub(r"(?ms)^fail_to_pass = \[.*?\]\n", "fail_to_pass = []\n", text)
    text = re.sub(r"(?ms)^pass_to_pass = \[.*?\]\n", "", text)
    toml.write_text(text)
    return toml


def test_write_fills_the_lists_and_keeps_the_rest(tmp_path: Path) -> None:
    original = (GOOD / "good-py-slug" / "task.toml").read_text()
    toml = _copy_with_empty_lists(GOOD / "good-py-slug", tmp_path)
    assert "pass_to_pass" not in toml.read_text()
    result = routr("tasks", "validate", "--tasks", tmp_path, "--write", "--runs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok good-py-slug (2 runs, 2 fail_to_pass, 1 pass_to_pass" in result.stdout
    assert "task.toml written" in result.stdout
    assert toml.read_text() == original  # same lists, same layout, comment kept
    again = routr("tasks", "validate", "--tasks", tmp_path, "--write")
    assert again.returncode == 0 and "task.toml written" not in again.stdout
    assert "ok good-py-slug (3 runs," in again.stdout  # --write defaults to 3 runs


def test_write_never_writes_when_the_reference_fails(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "reference-fails-test", tmp_path / "reference-fails-test")
    toml = tmp_path / "reference-fails-test" / "task.toml"
    before = toml.read_text()
    result = routr("tasks", "validate", "--tasks", tmp_path, "--write", "--json")
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)
    assert entry["valid"] is False and entry["id"] == "reference-fails-test"
    assert any("the reference does not pass" in p for p in entry["problems"])
    assert toml.read_text() == before


def test_json_output_shape() -> None:
    result = routr("tasks", "validate", "good-py-median", "--tasks", GOOD, "--json")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert set(entry) >= {"id", "valid", "problems", "fail_to_pass", "pass_to_pass", "duration_s"}
    assert entry["valid"] is True and entry["problems"] == []
    assert entry["fail_to_pass"] == ["tests.test_median::test_even_length_averages_middle_pair"]
    assert entry["duration_s"] > 0


def test_docker_down_stops_with_one_line() -> None:
    result = routr(
        "tasks", "validate", "--tasks", GOOD, env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    )
    assert result.returncode == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "Docker" in errors[0]
    assert "ok " not in result.stdout


def test_imported_tasks_validate_with_write(tmp_path: Path) -> None:
    """Python, JavaScript and Go exercises plus JSONL records: import, then prove them.

    The JavaScript ones include a CommonJS exercise (``require``, ``__dirname``, data
    files beside the spec) and an ES module one whose reference is CommonJS: both run.
    """
    exercism = routr(
        "tasks", "import", "exercism", FIXTURES / "import" / "exercism", "--out", tmp_path
    )
    assert exercism.returncode == 0, exercism.stderr  # broken ones named, the rest written
    jsonl = routr(
        "tasks", "import", "jsonl", FIXTURES / "import" / "humaneval.jsonl", "--out", tmp_path
    )
    assert jsonl.returncode == 0, jsonl.stderr
    result = routr(
        "tasks", "validate", "--tasks", tmp_path, "--write", "--runs", "1", "--jobs", "2"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for task_id, f2p in {
        "exercism-python-run-length": 5,
        "exercism-python-isbn-verifier": 5,
        "exercism-javascript-word-tally": 4,
        "exercism-javascript-line-grep": 3,
        "exercism-javascript-shout": 2,
        "exercism-go-digit-sum": 6,
        "fixture-0": 3,
        "fixture-1": 1,
        "fixture-2": 2,
    }.items():
        assert f"ok {task_id} (1 run, {f2p} fail_to_pass, 0 pass_to_pass" in result.stdout
        data = tomllib.loads((tmp_path / task_id / "task.toml").read_text())
        assert len(data["grade"]["fail_to_pass"]) == f2p
    go = tomllib.loads((tmp_path / "exercism-go-digit-sum" / "task.toml").read_text())
    assert "digitsum::TestDigitalRoot/two_passes" in go["grade"]["fail_to_pass"]


def test_write_keeps_the_lists_of_an_already_solved_task(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "already-solved", tmp_path / "already-solved")
    toml = tmp_path / "already-solved" / "task.toml"
    before = toml.read_text()
    result = routr("tasks", "validate", "--tasks", tmp_path, "--write")
    assert result.returncode == 1
    assert (
        "INVALID already-solved: fail_to_pass is empty and every test already passes"
        in result.stdout
    )
    assert toml.read_text() == before


def test_commonjs_conversion_control_without_it_the_references_break(tmp_path: Path) -> None:
    """The control for the CommonJS handling: undo it and the imported references fail.

    line-grep declared as an ES module package (what the importer used to write) cannot
    `require`; shout's CommonJS reference, unwrapped, has no `module` to export through.
    """
    practice = FIXTURES / "import" / "exercism" / "javascript" / "exercises" / "practice"
    for name in ("line-grep", "shout"):
        imported = routr("tasks", "import", "exercism", practice / name, "--out", tmp_path)
        assert imported.returncode == 0, imported.stderr
    grep_package = tmp_path / "exercism-javascript-line-grep" / "repo" / "package.json"
    grep_package.write_text(grep_package.read_text().replace('"commonjs"', '"module"'))
    shout_ref = tmp_path / "exercism-javascript-shout" / "solution" / "shout.js"
    shout_ref.write_text((practice / "shout" / ".meta" / "proof.ci.js").read_text())
    result = routr("tasks", "validate", "--tasks", tmp_path, "--runs", "1", "--jobs", "2")
    assert result.returncode == 1
    for name in ("line-grep", "shout"):  # the test file cannot even load: one `(file)` case
        assert (
            f"INVALID exercism-javascript-{name}: the reference does not pass 1 test "
            f"(failed): tests/{name}.test.js::(file)"
        ) in result.stdout, result.stdout
