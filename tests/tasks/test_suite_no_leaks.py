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


def test_no_prompt_names_a_hidden_test() -> None:
    """Issue-style prompts describe behaviour; a test's name would point at the check.

    Names under 12 characters are left out: short ones (``test_add``, a Go subtest's
    ``empty``) are ordinary words a prompt may well use.
    """
    tasks, _ = load_tasks_lenient(SUITE)
    found = []
    for task in tasks:
        for test_id in (*task.grade.fail_to_pass, *task.grade.pass_to_pass):
            name = test_id.split("::")[-1].split("/")[-1]
            if len(name) >= 12 and name in task.prompt:
                found.append(f"{task.id}: prompt.md names the hidden test {name!r}")
    assert not found, "\n".join(found)
