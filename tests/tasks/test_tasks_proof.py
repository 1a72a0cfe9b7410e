"""The validation record in task.toml: written by `validate --write`, invisible to the
content hash, stale after any edit, and required by `routr bench`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from routr_cli.errors import TaskFormatError
from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.load import load_task, load_tasks_lenient
from routr_cli.tasks.proof import proof_problem, remove_record, strip_record, write_record

GOOD = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"


def _copy(tmp_path: Path, name: str = "good-py-median") -> Path:
    folder = tmp_path / name
    shutil.copytree(GOOD / name, folder)
    remove_record(folder / "task.toml")
    return folder


def test_the_record_does_not_change_the_hash_and_an_edit_makes_it_stale(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    task = load_task(folder)
    assert task.validated_hash is None
    assert task.proof_problem == "it has no validation record"
    assert write_record(folder / "task.toml", task.content_hash, 2)
    proven = load_task(folder)
    assert proven.content_hash == task.content_hash
    assert proven.validated_hash == task.content_hash and proven.proof_problem is None
    assert not write_record(folder / "task.toml", task.content_hash, 2)  # idempotent
    text = (folder / "task.toml").read_text()
    assert text.rstrip().endswith(f"[validated]\n{text.split('[validated]')[1].strip()}")
    (folder / "tests" / "test_median.py").write_text("def test_x():\n    assert True\n")
    assert load_task(folder).proof_problem == "it changed since it was validated"


def test_strip_and_remove_restore_the_original_text(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "task.toml"
    original = toml.read_text()
    write_record(toml, "0123456789abcdef", 1)
    assert strip_record(toml.read_text()) == original
    assert remove_record(toml) and toml.read_text() == original
    assert not remove_record(toml)


def test_a_record_in_the_middle_is_stripped_with_only_its_own_lines() -> None:
    text = 'a = 1\n\n[validated]\nhash = "x"\nruns = 1\n\n[limits]\npids = 9\n'
    assert strip_record(text) == "a = 1\n\n[limits]\npids = 9\n"


def test_proof_problems() -> None:
    assert proof_problem((), "h", "h") == "its fail_to_pass list is empty"
    assert proof_problem(("t",), None, "h") == "it has no validation record"
    assert proof_problem(("t",), "old", "h") == "it changed since it was validated"
    assert proof_problem(("t",), "h", "h") is None


def test_the_loader_checks_the_record_table(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "task.toml"
    toml.write_text(toml.read_text() + '\n[validated]\nhash = "x"\nwhen = "today"\n')
    with pytest.raises(TaskFormatError, match=r"validated\.when"):
        load_task(folder)


def test_the_bundled_suite_and_the_bench_fixtures_are_proven() -> None:
    for root, least in ((PROJECT_ROOT / "tasks", 40), (GOOD, 2)):
        tasks, errors = load_tasks_lenient(root)
        assert not errors and len(tasks) >= least
        unproven = {t.id: t.proof_problem for t in tasks if t.proof_problem}
        assert unproven == {}, f"run `routr tasks validate --write --tasks {root}`"


@pytest.mark.docker
def test_validate_write_records_a_valid_task_and_drops_the_record_of_a_broken_one(
    tmp_path: Path,
) -> None:
    from routr_cli_runner import run_routr

    folder = _copy(tmp_path)
    ok = run_routr("tasks", "validate", "--write", "--tasks", tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    task = load_task(folder)
    assert task.validated_hash == task.content_hash and task.proof_problem is None
    (folder / "solution" / "stats_kit" / "center.py").write_text("def median(xs):\n    return 0\n")
    broken = run_routr("tasks", "validate", "--write", "--tasks", tmp_path)
    assert broken.returncode == 1 and "INVALID good-py-median" in broken.stdout
    assert load_task(folder).validated_hash is None
