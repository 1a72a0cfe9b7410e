"""The bundled suite keeps the shape issue 3 promises, so a task removed or trimmed
later cannot quietly make the published rankings rest on less.

Sizes and test counts use the same static measures as `routr tasks stats`; whether
each task is valid in the sandbox is `routr tasks validate --runs 3` (run by make test).
"""

from __future__ import annotations

from collections import Counter

import pytest

from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.load import load_tasks
from routr_cli.tasks.model import CATEGORIES, Task
from routr_cli.tasks.stats import TaskFacts, task_facts

SUITE = load_tasks(PROJECT_ROOT / "tasks")
FACTS = {task.id: task_facts(task) for task in SUITE}
IDS = sorted(FACTS)


def test_forty_tasks_over_every_category_and_three_languages() -> None:
    assert len(SUITE) >= 40
    categories = Counter(task.category for task in SUITE)
    assert {c: categories[c] for c in CATEGORIES if categories[c] < 4} == {}
    languages = Counter(task.language for task in SUITE)
    assert languages["python"] >= 28 and languages["javascript"] >= 6 and languages["go"] >= 6
    assert set(languages) == {"python", "javascript", "go"}


def test_difficulty_mix_is_about_30_45_25() -> None:
    share = {k: v / len(SUITE) for k, v in Counter(t.difficulty for t in SUITE).items()}
    assert 0.20 <= share["easy"] <= 0.40, share
    assert 0.35 <= share["medium"] <= 0.55, share
    assert 0.15 <= share["hard"] <= 0.35, share


def _changed_files(task: Task) -> int:
    return len(task.solution_change())


def test_at_least_half_the_reference_changes_touch_two_files_or_more() -> None:
    multi = [task.id for task in SUITE if _changed_files(task) >= 2]
    assert len(multi) * 2 >= len(SUITE), f"only {len(multi)} of {len(SUITE)}"


@pytest.mark.parametrize("task_id", IDS)
def test_each_task_is_a_small_real_repository_with_enough_tests(task_id: str) -> None:
    facts: TaskFacts = FACTS[task_id]
    task = next(t for t in SUITE if t.id == task_id)
    assert 4 <= facts.files <= 30, f"{facts.files} files in repo/"
    assert 150 <= facts.lines <= 2000, f"{facts.lines} lines in repo/"
    assert facts.tests >= 5, f"{facts.tests} hidden tests"
    assert any(path.lower().startswith("readme") for path in task.repo_files()), "no README"
    assert task.grade.fail_to_pass, "fail_to_pass not written (routr tasks validate --write)"
