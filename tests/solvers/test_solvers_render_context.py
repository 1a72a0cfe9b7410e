"""Rendering changes back into the edit format, and the context-budget rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from routr_cli.solvers.context import (
    build_repo_context,
    estimate_tokens,
    files_budget,
    mentioned_in,
    selection_order,
)
from routr_cli.solvers.edit_format import apply_answer, parse_edits
from routr_cli.solvers.edit_render import fence_for, render_change
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import apply_change

FIXTURE = Path(__file__).parents[1] / "fixtures" / "solver_tasks" / "py-stats-median"
BUNDLED = Path(__file__).parents[2] / "tasks"


def _tasks() -> list[Path]:
    """The fixture and every bundled task that loads (one being written may not yet)."""
    from routr_cli.tasks.load import load_tasks_lenient

    bundled = load_tasks_lenient(BUNDLED)[0] if BUNDLED.is_dir() else []
    return [FIXTURE, *(t.path for t in bundled)]


@pytest.mark.parametrize("folder", _tasks(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["search-replace", "whole"])
def test_rendered_reference_change_reproduces_the_solution_exactly(folder: Path, fmt: str) -> None:
    task = load_task(folder)
    repo = task.repo_files()
    target = apply_change(repo, task.solution_change())
    answer = render_change(repo, target, fmt)  # type: ignore[arg-type]
    assert apply_answer(repo, answer) == target


def test_search_replace_rendering_uses_blocks_not_whole_files() -> None:
    task = load_task(FIXTURE)
    repo = task.repo_files()
    answer = render_change(repo, apply_change(repo, task.solution_change()), "search-replace")
    kinds = [type(e).__name__ for e in parse_edits(answer)]
    assert kinds == ["SearchReplace", "SearchReplace", "DeleteFile"]


def test_non_unique_context_widens_until_unique() -> None:
    old = "x = 1\ny = 2\nz = 3\n" * 3 + "tail\n"
    new = old.replace("tail\n", "end\n")
    lines = old.splitlines(keepends=True)
    lines[4] = "y = 20\n"  # the middle copy: its neighbours repeat, context must grow
    new = "".join(lines)
    answer = render_change({"f.py": old}, {"f.py": new}, "search-replace")
    assert apply_answer({"f.py": old}, answer) == {"f.py": new}


def test_fence_is_longer_than_any_fence_in_the_content() -> None:
    assert fence_for("plain\n") == "```"
    assert fence_for("```\ncode\n```\n") == "````"


def test_mentioned_files_by_path_or_whole_word_name() -> None:
    prompt = "The bug is in `core.py`; see also pkg/util/io.py."
    assert mentioned_in(prompt, "pkg/core.py")
    assert mentioned_in(prompt, "pkg/util/io.py")
    assert not mentioned_in(prompt, "pkg/io.py.bak")
    assert not mentioned_in(prompt, "pkg/score.py")
    assert not mentioned_in("Fix data.py and tools/pkg/mod.pyc.", "a.py")
    assert not mentioned_in("Fix tools/pkg/mod.pyc.", "pkg/mod.py")
    assert mentioned_in("Open ./pkg/mod.py first.", "pkg/mod.py")


def test_everything_is_shown_when_it_fits() -> None:
    files = {"b.py": "b\n", "a.py": "a\n"}
    ctx = build_repo_context("anything", files, 10_000)
    assert ctx.shown == ("a.py", "b.py") and ctx.omitted == ()
    assert "left out" not in ctx.text


def test_over_budget_mentioned_first_then_smallest_and_omitted_listed() -> None:
    files = {
        "big_mentioned.py": "m" * 400,
        "huge.py": "h" * 4000,
        "small.py": "s" * 40,
        "medium.py": "d" * 800,
    }
    prompt = "Fix big_mentioned.py please."
    assert selection_order(prompt, files) == [
        "big_mentioned.py",
        "small.py",
        "medium.py",
        "huge.py",
    ]
    ctx = build_repo_context(prompt, files, 400)
    assert ctx.shown == ("big_mentioned.py", "small.py")
    assert ctx.omitted == ("huge.py", "medium.py")
    assert "2 files were left out" in ctx.text and "- huge.py\n" in ctx.text
    assert ctx.tokens <= 400
    # Deterministic: the same input gives the same text.
    assert build_repo_context(prompt, files, 400).text == ctx.text


def test_a_large_mentioned_file_is_skipped_and_smaller_ones_still_fit() -> None:
    files = {"core.py": "c" * 8000, "a.py": "a" * 40, "b.py": "b" * 40}
    ctx = build_repo_context("core.py is broken", files, 300)
    assert ctx.shown == ("a.py", "b.py")
    assert ctx.omitted == ("core.py",)


def test_budget_leaves_room_for_the_answer_and_fixed_text() -> None:
    assert estimate_tokens("abcde") == 2
    budget = files_budget(10_000, 2_000, "s" * 400, "p" * 400)
    assert budget == 10_000 - 2_000 - 100 - 100 - 200
    assert files_budget(1_000, 2_000, "", "") == 0
