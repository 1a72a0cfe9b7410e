"""Each malformed fixture in tests/fixtures/broken_tasks fails to load with a message
naming the file (and, for task.toml problems, the field)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from routr_cli.errors import TaskFormatError
from routr_cli.tasks.load import load_task, load_tasks_lenient, select_task_folders

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken_tasks"

# folder -> (file the message must name, field or phrase it must name)
CASES = {
    "missing-task-toml": ("missing-task-toml", "missing task.toml"),
    "missing-prompt": ("missing-prompt", "missing prompt.md"),
    "missing-repo": ("missing-repo", "missing repo/"),
    "missing-tests": ("missing-tests", "missing tests/"),
    "missing-solution": ("missing-solution", "missing solution/"),
    "invalid-toml": ("invalid-toml/task.toml", "invalid TOML"),
    "unknown-top-field": ("unknown-top-field/task.toml", "author: unknown field"),
    "unknown-grade-field": ("unknown-grade-field/task.toml", "grade.retries: unknown field"),
    "missing-title": ("missing-title/task.toml", "title: missing required field"),
    "id-mismatch": ("id-mismatch/task.toml", "id: 'some-other-id' must equal the folder name"),
    "bad_id_chars": ("bad_id_chars/task.toml", "id: 'bad_id_chars' must be 3-64 characters"),
    "bad-difficulty": ("bad-difficulty/task.toml", "difficulty: 'trivial' must be one of"),
    "delete-missing-path": ("delete-missing-path/task.toml", "solution.delete: 'old_greet.py'"),
    "empty-tests": ("empty-tests/tests", "empty tests/"),
    "reference-edits-harness": (
        "reference-edits-harness/solution/conftest.py",
        "protected test-harness file",
    ),
}
# Well-formed but invalid: they load; only `routr tasks validate` (Docker) rejects them.
WELL_FORMED = {
    "already-solved",
    "prompt-leaks-test",
    "reference-fails-test",
    "unknown-image",
    "unknown-test-id",
}


@pytest.mark.parametrize("folder", sorted(CASES))
def test_loader_names_file_and_field(folder: str) -> None:
    where, what = CASES[folder]
    with pytest.raises(TaskFormatError) as info:
        load_task(BROKEN / folder)
    message = str(info.value)
    assert message.startswith(str(BROKEN / where) + ":"), message
    assert what in message, message
    assert "\n" not in message


def test_every_fixture_folder_is_covered() -> None:
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()}
    assert folders == set(CASES) | WELL_FORMED


def test_well_formed_invalid_tasks_load() -> None:
    for folder in sorted(WELL_FORMED):
        assert load_task(BROKEN / folder).id == folder


def test_empty_tests_folder_holds_only_a_placeholder() -> None:
    files = [p.name for p in (BROKEN / "empty-tests" / "tests").iterdir()]
    assert files == [".gitkeep"]


def test_lenient_loading_collects_every_error() -> None:
    tasks, errors = load_tasks_lenient(BROKEN)
    assert sorted(t.id for t in tasks) == sorted(WELL_FORMED)
    assert len(errors) == len(CASES)


def _copy_good(tmp_path: Path) -> Path:
    good = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks" / "good-py-median"
    return Path(shutil.copytree(good, tmp_path / "good-py-median"))


def test_format_must_be_the_integer_one(tmp_path: Path) -> None:
    folder = _copy_good(tmp_path)
    toml = folder / "task.toml"
    toml.write_text(toml.read_text().replace("format = 1", "format = true"))
    with pytest.raises(TaskFormatError, match=r"task\.toml: format: unsupported format True"):
        load_task(folder)


def test_prompt_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    folder = _copy_good(tmp_path)
    (folder / "prompt.md").write_bytes(b"caf\xe9 au lait\n")
    with pytest.raises(TaskFormatError, match=r"prompt\.md: not UTF-8 text"):
        load_task(folder)


def test_selecting_ids_keeps_their_order_once_and_rejects_unknown_ones() -> None:
    picked = ["reference-fails-test", "already-solved", "reference-fails-test"]
    assert [p.name for p in select_task_folders(BROKEN, picked)] == picked[:2]
    with pytest.raises(
        TaskFormatError, match=r"unknown task id 'nope' in .* \(see `routr tasks list`\)"
    ):
        select_task_folders(BROKEN, ["already-solved", "nope"])


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        ("[limits]", "pids = 99999999999999999", "limits.pids: 99999999999999999 is too large"),
        ("[limits]", "memory_mb = 100000000", "limits.memory_mb: 100000000 is too large"),
        ("[limits]", "cpus = 5000.0", "limits.cpus: 5000.0 is too large (at most 1024)"),
        ("[grade]", "timeout_s = 100000000", "grade.timeout_s: 100000000 is too large"),
    ],
)
def test_limits_past_what_a_kernel_accepts_are_named(
    tmp_path: Path, table: str, line: str, message: str
) -> None:
    folder = _copy_good(tmp_path)
    toml = folder / "task.toml"
    text = toml.read_text()
    key = line.split(" = ")[0]
    kept = "\n".join(row for row in text.splitlines() if not row.startswith(key + " "))
    toml.write_text(kept.replace(table, f"{table}\n{line}", 1) + "\n")
    with pytest.raises(TaskFormatError, match=rf"task\.toml: {re.escape(message)}"):
        load_task(folder)


def test_one_task_folder_given_as_the_suite_names_the_parent() -> None:
    one = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks" / "good-py-median"
    with pytest.raises(TaskFormatError, match="this is one task, not a folder of tasks") as info:
        load_tasks_lenient(one)
    assert str(info.value).endswith(f"(pass --tasks {one.parent} and the id good-py-median)")


def test_a_binary_task_file_is_named_not_silently_mangled(tmp_path: Path) -> None:
    folder = _copy_good(tmp_path)
    fixture = folder / "tests" / "data.bin"
    fixture.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(TaskFormatError) as info:
        load_task(folder)
    assert str(info.value) == (
        f"{fixture}: not UTF-8 text (byte 0): task files must be text in format 1"
    )


@pytest.mark.parametrize("pattern", ["/abs/conftest.py", "../up.py", " "])
def test_protected_patterns_must_be_relative(tmp_path: Path, pattern: str) -> None:
    folder = tmp_path / "harness-glob"
    shutil.copytree(BROKEN / "reference-edits-harness", folder)
    (folder / "solution" / "conftest.py").unlink()
    toml = folder / "task.toml"
    text = toml.read_text().replace('id = "reference-edits-harness"', 'id = "harness-glob"')
    toml.write_text(text.replace("[grade]\n", f"[grade]\nprotected = [{pattern!r}]\n"))
    with pytest.raises(TaskFormatError, match=r"task\.toml: grade\.protected: "):
        load_task(folder)


def test_task_protected_patterns_extend_the_harness_files(tmp_path: Path) -> None:
    folder = tmp_path / "harness-extra"
    shutil.copytree(BROKEN / "reference-edits-harness", folder)
    (folder / "solution" / "conftest.py").unlink()
    toml = folder / "task.toml"
    text = toml.read_text().replace('id = "reference-edits-harness"', 'id = "harness-extra"')
    toml.write_text(text.replace("[grade]\n", '[grade]\nprotected = ["greet.py"]\n'))
    with pytest.raises(TaskFormatError, match=r"greet\.py: the reference changes a protected"):
        load_task(folder)  # solution/greet.py is now a harness file
    toml.write_text(text.replace("[grade]\n", '[grade]\nprotected = ["setup.cfg"]\n'))
    assert load_task(folder).grade.protected == ("setup.cfg",)


def _with_family(tmp_path: Path, value: str) -> Path:
    folder = _copy_good(tmp_path)
    toml = folder / "task.toml"
    text = toml.read_text()
    toml.write_text(text.replace("[grade]", f"family = {value}\n\n[grade]", 1))
    return folder


def test_family_is_optional_and_read_when_given(tmp_path: Path) -> None:
    assert load_task(_copy_good(tmp_path / "plain")).family is None
    task = load_task(_with_family(tmp_path / "fam", '"exercism:two-fer/v1.2_b"'))
    assert task.family == "exercism:two-fer/v1.2_b"


@pytest.mark.parametrize(
    "value",
    ['"Exercism:Two-Fer"', '"two fer"', '":leading"', '""', "3", '"' + "a" * 129 + '"'],
)
def test_a_malformed_family_is_named(tmp_path: Path, value: str) -> None:
    with pytest.raises(TaskFormatError, match=r"task\.toml: family: ") as info:
        load_task(_with_family(tmp_path, value))
    assert "\n" not in str(info.value)
