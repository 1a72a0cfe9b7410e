"""Per-task facts (size, test count) and suite-wide counts, for `routr tasks list/stats`.

A task's test count is what grading counts: its validated lists, ``fail_to_pass`` +
``pass_to_pass`` (table subtests and Jest's ``xtest`` included, as the JUnit report
shows them). Only a draft whose lists are still empty gets a static estimate, marked
as one (``tests_estimated``), counted by file type without running anything:

- Python (``.py``): lines starting (after indentation) with ``def test_`` or
  ``async def test_``: pytest's default test functions and unittest methods.
- JavaScript/TypeScript (``.js .mjs .cjs .ts``): calls ``test(``, ``it(``, their
  skipped/focused forms ``xtest(``/``xit(``/``fit(`` and ``.only``/``.skip``/``.todo``,
  as in node:test, Jest, Mocha and Vitest.
- Go (``_test.go``): lines starting with ``func Test`` (top-level test functions; table
  subtests run by ``t.Run`` are not counted).

Other files count zero.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from routr_cli.tasks.model import Task

_PY_TEST = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+test_", re.MULTILINE)
_JS_TEST = re.compile(r"(?<![\w.$])(?:x|f)?(?:test|it)(?:\.(?:only|skip|todo))?[ \t]*\(")
_GO_TEST = re.compile(r"^func[ \t]+Test\w*[ \t]*\(", re.MULTILINE)
_JS_SUFFIXES = (".js", ".mjs", ".cjs", ".ts")


def count_tests_in_file(name: str, text: str) -> int:
    """Test functions in one file, by the rule in this module's docstring."""
    if name.endswith(".py"):
        return len(_PY_TEST.findall(text))
    if name.endswith("_test.go"):
        return len(_GO_TEST.findall(text))
    if name.endswith(_JS_SUFFIXES):
        return len(_JS_TEST.findall(text))
    return 0


def count_tests(test_files: dict[str, str]) -> int:
    return sum(count_tests_in_file(name, text) for name, text in test_files.items())


@dataclass(frozen=True)
class TaskFacts:
    """What `routr tasks list` shows about one task; sizes count ``repo/`` only."""

    id: str
    title: str
    category: str
    language: str
    difficulty: str
    tags: tuple[str, ...]
    hash: str
    files: int
    lines: int
    tests: int
    tests_estimated: bool = False  # True: no validated lists yet, ``tests`` is a static count

    @property
    def tests_label(self) -> str:
        """``12``, or ``~3`` for an estimate (see the module docstring)."""
        return f"~{self.tests}" if self.tests_estimated else str(self.tests)

    @property
    def size_labels(self) -> tuple[str, str, str]:
        """Files, lines and tests as a table shows them."""
        return str(self.files), str(self.lines), self.tests_label

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "language": self.language,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "hash": self.hash,
            "files": self.files,
            "lines": self.lines,
            "tests": self.tests,
            "tests_estimated": self.tests_estimated,
        }


def count_lines(text: str) -> int:
    """Lines as an editor shows them: a final line without a newline still counts."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def task_test_count(task: Task) -> tuple[int, bool]:
    """(tests, estimated): the validated lists' size, else a static estimate."""
    listed = len(task.grade.fail_to_pass) + len(task.grade.pass_to_pass)
    if listed:
        return listed, False
    return count_tests(task.test_files()), True


def task_facts(task: Task) -> TaskFacts:
    """Size of ``repo/`` (what a model reads) and the hidden tests' count."""
    repo = task.repo_files()
    tests, estimated = task_test_count(task)
    return TaskFacts(
        id=task.id,
        title=task.title,
        category=task.category,
        language=task.language,
        difficulty=task.difficulty,
        tags=task.tags,
        hash=task.content_hash,
        files=len(repo),
        lines=sum(count_lines(text) for text in repo.values()),
        tests=tests,
        tests_estimated=estimated,
    )


def _spread(values: Sequence[int]) -> dict[str, float]:
    if not values:
        return {"min": 0, "median": 0, "max": 0}
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def suite_stats(facts: Sequence[TaskFacts]) -> dict[str, Any]:
    """Counts by category, language and difficulty, and spreads of size and test count."""

    def by(attr: str) -> dict[str, int]:
        counts = Counter(getattr(f, attr) for f in facts)
        return dict(sorted(counts.items()))

    return {
        "tasks": len(facts),
        "by_category": by("category"),
        "by_language": by("language"),
        "by_difficulty": by("difficulty"),
        "files": _spread([f.files for f in facts]),
        "lines": _spread([f.lines for f in facts]),
        "tests": _spread([f.tests for f in facts]),
        "tests_estimated": sum(f.tests_estimated for f in facts),
    }
