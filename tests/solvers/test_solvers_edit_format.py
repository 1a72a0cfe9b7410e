"""Parse and apply the edit format: good blocks, and every way an answer can be wrong."""

from __future__ import annotations

import pytest

from routr_cli.solvers.edit_format import (
    DeleteFile,
    MalformedEdit,
    SearchReplace,
    UnappliableEdit,
    WholeFile,
    apply_answer,
    diff_states,
    parse_edits,
)

FILES = {
    "pkg/core.py": "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n",
    "README.md": "# pkg\n",
}


def block(path: str, search: str, replace: str, fence: bool = True) -> str:
    body = f"<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"
    return f"{path}\n```python\n{body}```\n" if fence else f"{path}\n{body}"


def test_search_replace_block_applies_to_the_named_file() -> None:
    answer = "Fixing add.\n\n" + block(
        "pkg/core.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"
    )
    state = apply_answer(FILES, answer)
    assert state["pkg/core.py"].startswith("def add(a, b):\n    return a + b\n")
    assert state["pkg/core.py"].endswith("def sub(a, b):\n    return a - b\n")
    assert diff_states(FILES, state) == {"pkg/core.py": state["pkg/core.py"]}


def test_unfenced_block_and_backticked_path_parse_the_same() -> None:
    for marked_up in ("`pkg/core.py`", "**pkg/core.py**", "**`pkg/core.py`**"):
        edits = parse_edits(block(marked_up, "x\n", "y\n", fence=False))
        assert edits == [SearchReplace("pkg/core.py", "x\n", "y\n", 1)]


def test_blocks_apply_in_order_to_the_evolving_file() -> None:
    answer = block("README.md", "# pkg\n", "# pkg\nline two\n") + block(
        "README.md", "line two\n", "line 2\n"
    )
    assert apply_answer(FILES, answer)["README.md"] == "# pkg\nline 2\n"


def test_ambiguous_search_is_unappliable_and_names_the_block() -> None:
    answer = block("README.md", "# pkg\n", "# pkg!\n") + block(
        "pkg/core.py", "    return a - b\n", "    return 0\n"
    )
    with pytest.raises(UnappliableEdit, match=r"edit 2 \(pkg/core.py\): .*more than once"):
        apply_answer(FILES, answer)


def test_search_not_found_is_unappliable() -> None:
    with pytest.raises(UnappliableEdit, match=r"edit 1 \(pkg/core.py\): SEARCH text not found"):
        apply_answer(FILES, block("pkg/core.py", "def mul(a, b):\n", "x\n"))


def test_search_must_start_at_a_line_start() -> None:
    with pytest.raises(UnappliableEdit, match="not found"):
        apply_answer(FILES, block("README.md", "pkg\n", "x\n"))


def test_trailing_whitespace_fallback_matches_once() -> None:
    answer = block("README.md", "# pkg   \n", "# package\n")
    assert apply_answer(FILES, answer)["README.md"] == "# package\n"


def test_missing_file_is_unappliable() -> None:
    with pytest.raises(UnappliableEdit, match=r"edit 1 \(nope.py\): file does not exist"):
        apply_answer(FILES, block("nope.py", "a\n", "b\n"))


def test_empty_search_creates_a_new_file_but_not_over_an_existing_one() -> None:
    state = apply_answer(FILES, block("pkg/new.py", "", "X = 1\n"))
    assert state["pkg/new.py"] == "X = 1\n"
    with pytest.raises(UnappliableEdit, match="empty SEARCH only creates a new file"):
        apply_answer(FILES, block("README.md", "", "overwrite\n"))


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("../etc/passwd", "leaves the repository"),
        ("pkg/../../x.py", "leaves the repository"),
        ("/etc/passwd", "absolute path"),
        ("C:/x.py", "absolute path"),
        ("pkg\\core.py", "use '/' separators"),
        ("In `pkg/core.py`:", "not a file path"),
        ("pkg/core.py:", "not a file path"),
    ],
)
def test_paths_outside_the_repository_or_written_as_prose_are_malformed(
    path: str, problem: str
) -> None:
    with pytest.raises(MalformedEdit, match=problem):
        apply_answer(FILES, block(path, "", "x\n"))
    with pytest.raises(MalformedEdit, match=problem):
        apply_answer(FILES, f"FILE: {path}\n```\nx\n```\n")
    with pytest.raises(MalformedEdit, match=problem):
        apply_answer(FILES, f"DELETE: {path}\n")


def test_dot_segments_inside_the_repository_are_normalised() -> None:
    assert parse_edits("DELETE: ./pkg/./core.py\n") == [DeleteFile("pkg/core.py", 1)]


def test_whole_file_replaces_content_and_longer_fences_wrap_fences() -> None:
    answer = "FILE: docs/guide.md\n````markdown\n# Guide\n```sh\nrun\n```\n````\n"
    edits = parse_edits(answer)
    assert edits == [WholeFile("docs/guide.md", "# Guide\n```sh\nrun\n```\n", 1)]
    assert apply_answer(FILES, answer)["docs/guide.md"] == "# Guide\n```sh\nrun\n```\n"


def test_deletion_removes_the_file_and_a_missing_one_is_unappliable() -> None:
    state = apply_answer(FILES, "Removing it.\nDELETE: README.md\n")
    assert "README.md" not in state
    assert diff_states(FILES, state) == {"README.md": None}
    with pytest.raises(UnappliableEdit, match=r"edit 1 \(gone.md\): cannot delete"):
        apply_answer(FILES, "DELETE: gone.md\n")


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("I think the bug is in add().", "no edits found"),
        ("<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n", "no file path line"),
        ("a.py\n<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n", "missing ======= before"),
        ("a.py\n<<<<<<< SEARCH\nx\n=======\ny\n", "block ends without >>>>>>> REPLACE"),
        ("a.py\n<<<<<<< SEARCH\nx\n", "block ends without ======="),
        ("a.py\n<<<<<<< SEARCH\nx\n<<<<<<< SEARCH\n", "inside an open block"),
        ("stray\n>>>>>>> REPLACE\n", "without a <<<<<<< SEARCH"),
        ("FILE: a.py\nno fence here\n", "must be followed by a fenced block"),
        ("FILE: a.py\n```python\nx = 1\n", "fenced block never closed"),
    ],
)
def test_malformed_answers_say_what_is_wrong(answer: str, problem: str) -> None:
    with pytest.raises(MalformedEdit, match=problem):
        parse_edits(answer)


def test_a_failing_edit_leaves_the_input_untouched() -> None:
    before = dict(FILES)
    answer = block("README.md", "# pkg\n", "# new\n") + block("README.md", "absent\n", "x\n")
    with pytest.raises(UnappliableEdit, match="edit 2"):
        apply_answer(FILES, answer)
    assert before == FILES


def test_file_without_final_newline_keeps_it_that_way() -> None:
    files = {"a.txt": "one\ntwo"}
    assert apply_answer(files, block("a.txt", "two\n", "2\n"))["a.txt"] == "one\n2"


def test_a_block_right_after_another_may_omit_the_path() -> None:
    answer = (
        "README.md\n```\n<<<<<<< SEARCH\n# pkg\n=======\n# pkg\nmore\n>>>>>>> REPLACE\n```\n\n"
        "```\n<<<<<<< SEARCH\nmore\n=======\nmore!\n>>>>>>> REPLACE\n```\n"
    )
    assert [e.path for e in parse_edits(answer)] == ["README.md", "README.md"]
    assert apply_answer(FILES, answer)["README.md"] == "# pkg\nmore!\n"
    with pytest.raises(MalformedEdit, match="edit 2: no file path line"):
        parse_edits(
            "x.py\nDELETE: y.py\n<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE\n".replace("x.py\n", "")
        )


def test_fence_with_a_space_before_the_language_is_a_fence() -> None:
    assert apply_answer(FILES, "FILE: a.py\n``` python\nx = 1\n```\n")["a.py"] == "x = 1\n"


def test_a_new_file_cannot_clash_with_a_folder_or_sit_under_a_file() -> None:
    with pytest.raises(UnappliableEdit, match=r"edit 1 \(README.md/x.py\): 'README.md' is a file"):
        apply_answer(FILES, block("README.md/x.py", "", "x\n"))
    with pytest.raises(UnappliableEdit, match=r"edit 1 \(pkg\): is a folder"):
        apply_answer(FILES, "FILE: pkg\n```\nx\n```\n")


@pytest.mark.parametrize("fmt", ["search-replace", "whole"])
def test_every_format_tells_the_model_how_to_fence_content_with_fences(fmt: str) -> None:
    from routr_cli.solvers.prompts import system_prompt

    assert "more backticks" in system_prompt(fmt)  # type: ignore[arg-type]


def test_a_longer_fence_keeps_inner_fences_in_a_whole_file() -> None:
    readme = "# pkg\n\n```sh\npkg --help\n```\n"
    answer = f"FILE: README.md\n````markdown\n{readme}````\n"
    assert parse_edits(answer) == [WholeFile("README.md", readme, 1)]
