"""The bundled suite: every task loads, and no prompt gives away hidden tests or solution."""

from __future__ import annotations

from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.leak import task_leaks
from routr_cli.tasks.load import load_tasks_lenient

SUITE = PROJECT_ROOT / "tasks"


def test_every_bundled_task_loads() -> None:
    tasks, errors = load_tasks_lenient(SUITE)
    assert tasks, f"no tasks found in {SUITE}"
    assert not errors, "malformed tasks:\n" + "\n".join(map(str, errors))


def test_no_prompt_in_the_bundled_suite_leaks_hidden_text() -> None:
    tasks, _ = load_tasks_lenient(SUITE)
    found = [
        f"{task.id}: prompt.md shares with {leak.source}: {leak.text!r}"
        for task in tasks
        for leak in task_leaks(task)
    ]
    assert not found, "prompts leak hidden text:\n" + "\n".join(found)
