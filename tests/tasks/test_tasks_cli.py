"""`routr tasks list/show/stats/import` through the real entry point (no Docker needed)."""

from __future__ import annotations

import json
from pathlib import Path

from routr_cli_runner import run_routr

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOOD = FIXTURES / "good_tasks"
BROKEN = FIXTURES / "broken_tasks"


routr = run_routr


def test_list_json_has_the_documented_fields() -> None:
    result = routr("tasks", "list", "--tasks", GOOD, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["good-py-median", "good-py-slug"]
    for key in (
        "id",
        "title",
        "category",
        "language",
        "difficulty",
        "files",
        "lines",
        "tags",
        "hash",
    ):
        assert key in rows[0]
    assert (rows[0]["files"], rows[0]["lines"]) == (2, 14)


def test_list_table_shows_one_row_per_task() -> None:
    result = routr("tasks", "list", "--tasks", GOOD)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any("good-py-median" in line and "bugfix" in line and "14" in line for line in lines)
    assert any("good-py-slug" in line and "feature" in line for line in lines)


def test_list_with_malformed_tasks_prints_good_ones_and_one_line_per_bad_one() -> None:
    result = routr("tasks", "list", "--tasks", BROKEN, "--json")
    assert result.returncode == 1
    assert len(json.loads(result.stdout)) == 5  # the well-formed (but invalid) ones
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 15
    assert all(line.startswith("malformed: ") and str(BROKEN) in line for line in errors)


def test_show_prints_prompt_and_repo_files_but_never_hidden_contents() -> None:
    result = routr("tasks", "show", "good-py-slug", "--tasks", GOOD)
    assert result.returncode == 0, result.stderr
    assert "Add a slugify() helper" in result.stdout
    assert "textutil.py" in result.stdout and "legacy_slug.py" in result.stdout
    hidden = (GOOD / "good-py-slug" / "tests" / "test_slug.py").read_text()
    reference = (GOOD / "good-py-slug" / "solution" / "textutil.py").read_text()
    for secret in (
        '"c-rust-2024"',
        "re.findall",
        hidden.splitlines()[3],
        reference.splitlines()[-1],
    ):
        assert secret.strip() not in result.stdout


def test_show_json() -> None:
    result = routr("tasks", "show", "good-py-slug", "--tasks", GOOD, "--json")
    data = json.loads(result.stdout)
    assert data["grade"]["timeout_s"] == 60
    assert data["solution_deletes"] == ["legacy_slug.py"]
    assert data["hidden_test_files"] == ["test_slug.py"] and data["hidden_tests"] == 3
    assert [f["path"] for f in data["repo_files"]] == ["legacy_slug.py", "textutil.py"]


def test_show_unknown_id_is_one_line_error() -> None:
    result = routr("tasks", "show", "nope", "--tasks", GOOD)
    assert result.returncode == 2
    assert (
        result.stderr.strip() == f"error: unknown task id 'nope' in {GOOD} (see `routr tasks list`)"
    )


def test_stats_json_shape() -> None:
    result = routr("tasks", "stats", "--tasks", GOOD, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "tasks",
        "by_category",
        "by_language",
        "by_difficulty",
        "files",
        "lines",
        "tests",
        "tests_estimated",
    }
    assert data["lines"] == {"min": 7, "median": 10.5, "max": 14}
    assert data["tests_estimated"] == 0  # both fixtures have validated lists


def test_stats_table() -> None:
    result = routr("tasks", "stats", "--tasks", GOOD)
    assert result.returncode == 0 and "2 tasks" in result.stdout and "median" in result.stdout


def test_import_jsonl_cli_exit_status_and_lines(tmp_path: Path) -> None:
    result = routr(
        "tasks", "import", "jsonl", FIXTURES / "import" / "humaneval.jsonl", "--out", tmp_path
    )
    assert result.returncode == 0  # some records were written; the bad ones are named
    assert result.stdout.count("imported ") == 3
    skipped = result.stderr.strip().splitlines()
    assert len(skipped) == 2 and all(
        line.startswith("skipped humaneval.jsonl line ") for line in skipped
    )
    listed = routr("tasks", "list", "--tasks", tmp_path, "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 3


def test_import_exercism_default_out_and_category(tmp_path: Path) -> None:
    exercise = FIXTURES / "import" / "exercism" / "python" / "exercises" / "practice" / "run-length"
    result = routr(
        "tasks", "import", "exercism", exercise, "--category", "data-processing", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    task_toml = tmp_path / "tasks_imported" / "exercism-python-run-length" / "task.toml"
    assert 'category = "data-processing"' in task_toml.read_text()


def test_import_missing_source_is_a_one_line_error(tmp_path: Path) -> None:
    result = routr("tasks", "import", "jsonl", tmp_path / "absent.jsonl")
    assert (
        result.returncode == 2
        and result.stderr.startswith("error: ")
        and "absent.jsonl" in result.stderr
    )


def test_validate_with_no_task_folders_is_a_config_error(tmp_path: Path) -> None:
    result = routr("tasks", "validate", "--tasks", tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        f"error: {tmp_path}: no task folders to validate (pass --tasks DIR)"
    )


def test_validate_unknown_id_is_a_one_line_error() -> None:
    result = routr("tasks", "validate", "nope", "--tasks", GOOD)
    assert result.returncode == 2
    assert "error: unknown task id 'nope'" in result.stderr


def test_import_of_a_tree_summarises_other_languages_and_exits_0(tmp_path: Path) -> None:
    result = routr(
        "tasks", "import", "exercism", FIXTURES / "import" / "exercism", "--out", tmp_path
    )
    assert result.returncode == 0, result.stderr
    errors = result.stderr.strip().splitlines()
    assert "skipped 1 exercise in unsupported languages: cpp 1" in errors
    assert sum("hello-cpp" in line for line in errors) == 0  # one summary, no line each
    assert any("bug-hunt: a test-writing exercise" in line for line in errors)
    assert (
        result.stdout.strip()
        .splitlines()[-1]
        .startswith(f"6 tasks written to {tmp_path}, 3 skipped;")
    )


def test_import_that_writes_nothing_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"task_id": "x"}\n')
    result = routr("tasks", "import", "jsonl", tmp_path / "bad.jsonl", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "0 tasks written" in result.stdout


def test_list_at_60_columns_keeps_the_id_and_names_what_it_dropped() -> None:
    result = routr("tasks", "list", "--tasks", GOOD, env={"COLUMNS": "60"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 tasks"
    assert all(len(line) <= 60 for line in lines)
    assert any("good-py-median" in line and "3" in line for line in lines)
    assert "not shown at 60 columns: " in " ".join(lines)


def test_list_shows_an_unvalidated_count_as_an_estimate(tmp_path: Path) -> None:
    exercise = FIXTURES / "import" / "exercism" / "javascript" / "exercises" / "practice"
    imported = routr("tasks", "import", "exercism", exercise / "word-tally", "--out", tmp_path)
    assert imported.returncode == 0, imported.stderr
    result = routr("tasks", "list", "--tasks", tmp_path)
    row = next(line for line in result.stdout.splitlines() if "word-tally" in line)
    assert "~4" in row  # test( plus three xtest(, marked as a static estimate
    assert "~N: a static estimate" in result.stderr
    listed = json.loads(routr("tasks", "list", "--tasks", tmp_path, "--json").stdout)
    assert (listed[0]["tests"], listed[0]["tests_estimated"]) == (4, True)
