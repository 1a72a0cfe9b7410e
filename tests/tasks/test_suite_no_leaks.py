"""The bundled suite: every task loads, and no prompt gives away hidden tests or solution."""

from __future__ import annotations

import re

from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.leak import task_leaks
from routr_cli.tasks.load import load_tasks_lenient

SUITE = PROJECT_ROOT / "tasks"
# Lines of hidden test code: an assertion, and a test's declaration (Python, Go, JS).
ASSERT_LINE = (
    r"^[ \t]*(?:assert\b|self\.assert\w*\(|expect\(|assert\.\w+\(|t\.(?:Fatalf|Errorf)\().*$"
)
TEST_DECLARATION = (
    r"^[ \t]*(?:(?:async[ \t]+)?def[ \t]+test_\w+\(.*|func[ \t]+Test\w+\(.*"
    r"|(?:test|it|describe)\([\'\"`].*)$"
)


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


def _first_line(text: str, pattern: str) -> str | None:
    found = re.search(pattern, text, re.MULTILINE)
    return found.group(0).strip() if found else None


def test_a_bundled_prompt_quoting_an_assert_line_or_test_declaration_is_refused() -> None:
    """The control for the tests above: the check still catches real leaks in this suite.

    For every bundled task, a prompt quoting a 40+ character assertion line of its
    hidden tests, or the line declaring one of its tests, must be refused, even though
    specification text shared with the tests (literals, comments) is allowed.
    """
    tasks, _ = load_tasks_lenient(SUITE)
    checked = 0
    missed = []
    for task in tasks:
        for name, text in sorted(task.test_files().items()):
            for pattern in (ASSERT_LINE, TEST_DECLARATION):
                line = _first_line(text, pattern)
                if line is None or len(line) < 40:
                    continue
                quoting = f"{task.prompt}\n\nMake this pass:\n\n    {line}\n"
                checked += 1
                if not task_leaks(task, prompt=quoting):
                    missed.append(f"{task.id}: {name}: {line!r}")
    assert checked >= len(tasks), f"only {checked} quotes tried for {len(tasks)} tasks"
    assert not missed, "leaks not caught:\n" + "\n".join(missed)
