"""Hostile answers fail their own attempt, as data: paths a sandbox cannot hold,
oversized answers, too many edits, text that is not Unicode. Each attack has a control
showing what it would do without the check."""

from __future__ import annotations

import pytest

from routr_cli.sandbox.base import MAX_NAME_BYTES, MAX_PATH_BYTES, check_relative, path_problem
from routr_cli.solvers.edit_format import (
    MAX_ANSWER_BYTES,
    MAX_EDITS,
    MalformedEdit,
    UnappliableEdit,
    answer_limit,
    apply_answer,
    apply_edits,
    parse_edits,
)

FILES = {"pkg/core.py": "def add(a, b):\n    return a - b\n", "README.md": "# pkg\n"}


def whole(path: str, content: str = "x = 1\n") -> str:
    return f"FILE: {path}\n```\n{content}```\n"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("a" * 300 + ".py", "longer than 255 bytes"),
        ("é" * 128 + ".py", "longer than 255 bytes"),  # 256 bytes in UTF-8, 131 characters
        ("/".join(["d" * 200] * 21) + "/x.py", "path longer than"),
        ("pkg/bad\x01name.py", "control character"),
        ("pkg/tab\tname.py", "control character"),
        ("pkg/nul\x00name.py", "control character"),
        ("pkg/\ud800.py", "not valid Unicode"),
    ],
)
def test_a_path_the_sandbox_cannot_write_is_a_malformed_edit(path: str, why: str) -> None:
    with pytest.raises(MalformedEdit, match=why):
        apply_answer(FILES, whole(path))
    assert path_problem(path) is not None
    with pytest.raises(ValueError, match=why):
        check_relative(path)  # the grader's and the tar writer's check: the same rule


def test_paths_at_the_limits_are_accepted() -> None:
    longest_name = "n" * (MAX_NAME_BYTES - 3) + ".py"
    assert path_problem(longest_name) is None
    deep = "/".join(["d" * 200] * 19) + "/x.py"
    assert len(deep.encode()) <= MAX_PATH_BYTES
    state = apply_answer(FILES, whole(longest_name) + whole(deep) + whole("ünï/cödé.py"))
    assert longest_name in state and deep in state and "ünï/cödé.py" in state


def test_an_oversized_answer_is_refused_before_parsing() -> None:
    padding = "# filler\n" * (MAX_ANSWER_BYTES // 9 + 1)
    answer = whole("pkg/big.py", padding)
    with pytest.raises(MalformedEdit, match=r"over the .*-byte limit"):
        apply_answer(FILES, answer)
    # control: the same edits under the limit apply
    half = "# filler\n" * (MAX_ANSWER_BYTES // 18)
    assert "pkg/big.py" in apply_answer(FILES, whole("pkg/big.py", half))


def test_the_answer_limit_grows_with_a_large_repository() -> None:
    big = {"data.txt": "z" * (MAX_ANSWER_BYTES)}
    assert answer_limit(FILES) == MAX_ANSWER_BYTES
    assert answer_limit(big) == 2 * MAX_ANSWER_BYTES
    rewrite = whole("data.txt", "y" * MAX_ANSWER_BYTES + "\n")
    assert apply_answer(big, rewrite)["data.txt"].startswith("yyy")


def test_too_many_edits_are_refused() -> None:
    answer = "".join(f"DELETE: f{i}.py\n" for i in range(MAX_EDITS + 1))
    with pytest.raises(MalformedEdit, match="edits, over the limit"):
        apply_answer(FILES, answer)


def test_a_lone_surrogate_in_a_file_is_refused() -> None:
    with pytest.raises(MalformedEdit, match="not valid Unicode"):
        apply_answer(FILES, whole("pkg/new.py", "s = '\ud800'\n"))


def test_folder_clashes_are_found_after_deletes_and_creates() -> None:
    files = {"a/b/c.py": "1\n", "a/d.py": "2\n"}
    with pytest.raises(UnappliableEdit, match="is a folder, not a file"):
        apply_answer(files, whole("a/b"))
    with pytest.raises(UnappliableEdit, match=r"'a/d\.py' is a file"):
        apply_answer(files, whole("a/d.py/e.py"))
    # deleting the only file of a folder frees its name for a file
    state = apply_answer(files, "DELETE: a/b/c.py\n" + whole("a/b"))
    assert state == {"a/b": "x = 1\n", "a/d.py": "2\n"}
    # a file created by this answer clashes with a folder made later in it
    with pytest.raises(UnappliableEdit, match="'new' is a file"):
        apply_answer(files, whole("new") + whole("new/inner.py"))


def test_many_blocks_apply_and_clash_checks_stay_correct() -> None:
    edits = parse_edits("".join(whole(f"gen/m{i}/f.py", f"v = {i}\n") for i in range(3000)))
    state = apply_edits(FILES, edits)
    assert len(state) == 3002 and state["gen/m2999/f.py"] == "v = 2999\n"


def test_fallback_matches_lines_with_trailing_whitespace_once() -> None:
    files = {"a.py": "x = 1   \ny = 2\nx = 1\n"}
    answer = "a.py\n<<<<<<< SEARCH\nx = 1\ny = 2\n=======\nx = 3\ny = 4\n>>>>>>> REPLACE\n"
    assert apply_answer(files, answer)["a.py"] == "x = 3\ny = 4\nx = 1\n"
    twice = {"a.py": "x = 1 \nx = 1  \n"}
    with pytest.raises(UnappliableEdit, match="not found exactly once"):
        apply_answer(twice, "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nz\n>>>>>>> REPLACE\n")
