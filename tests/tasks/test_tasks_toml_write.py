"""The targeted rewrite of [grade] test lists keeps everything else byte for byte."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from routr_cli.errors import TaskFormatError
from routr_cli.tasks.toml_write import render_list, rewrite_test_lists, write_test_lists

ORIGINAL = """# Task header comment
format = 1
id = "x-task"

[grade]  # grading
command = "pytest"  # run it
timeout_s = 30
fail_to_pass = [
    "old::a",  # a comment inside
    "old::b=c",
]
pass_to_pass = []  # trailing
# a comment after the lists

[limits]
cpus = 1.0
"""


def test_render_list_sorts_dedupes_one_per_line() -> None:
    assert render_list("k", []) == "k = []\n"
    assert render_list("k", ["b", "a", "b"]) == 'k = [\n    "a",\n    "b",\n]\n'


def test_rewrite_replaces_only_the_two_lists() -> None:
    new = rewrite_test_lists(
        ORIGINAL, {"fail_to_pass": ["t::z", "t::y"], "pass_to_pass": ["t::p"]}, Path("x")
    )
    assert new == ORIGINAL.replace(
        'fail_to_pass = [\n    "old::a",  # a comment inside\n    "old::b=c",\n]\n'
        "pass_to_pass = []  # trailing\n",
        'fail_to_pass = [\n    "t::y",\n    "t::z",\n]\npass_to_pass = [\n    "t::p",\n]\n',
    )
    assert tomllib.loads(new)["grade"]["fail_to_pass"] == ["t::y", "t::z"]


def test_missing_keys_are_appended_to_the_grade_table() -> None:
    text = '[grade]\ncommand = """\nmulti = [\nline"""\n\n[limits]\ncpus = 2.0\n'
    new = rewrite_test_lists(text, {"fail_to_pass": ["a"], "pass_to_pass": []}, Path("x"))
    data = tomllib.loads(new)
    assert data["grade"] == {
        "command": "multi = [\nline",
        "fail_to_pass": ["a"],
        "pass_to_pass": [],
    }
    assert data["limits"] == {"cpus": 2.0}
    assert new.index("pass_to_pass") < new.index("[limits]")


def test_without_a_grade_table_it_refuses() -> None:
    with pytest.raises(TaskFormatError, match=r"x\.toml: grade: no \[grade\] table"):
        rewrite_test_lists(
            'format = 1\ngrade = { command = "c" }\n', {"fail_to_pass": []}, Path("x.toml")
        )


def test_write_test_lists_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "task.toml"
    path.write_text(ORIGINAL)
    assert write_test_lists(path, ["b", "a"], ["c"]) is True
    first = path.read_text()
    assert write_test_lists(path, ["a", "b"], ["c"]) is False
    assert path.read_text() == first
    assert first.startswith("# Task header comment\n") and "# a comment after the lists" in first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["task.toml"]  # no temporary left


def test_a_write_that_fails_leaves_the_file_whole_and_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "task.toml"
    path.write_text(ORIGINAL)
    # Where the new text would go first is taken by a folder: the write fails midway.
    (tmp_path / f".task.toml.{os.getpid()}.tmp").mkdir()
    with pytest.raises(TaskFormatError, match=r"cannot write the test lists \(Is a directory\)"):
        write_test_lists(path, ["a"], ["c"])
    assert path.read_text() == ORIGINAL
