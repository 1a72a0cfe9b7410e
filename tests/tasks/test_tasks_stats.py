"""Static test counting and suite statistics."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from routr_cli.tasks.load import load_task, load_tasks
from routr_cli.tasks.stats import count_lines, count_tests_in_file, suite_stats, task_facts

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("test_a.py", "def test_a():\n    pass\n\nasync def test_b():\n    pass\n", 2),
        (
            "test_a.py",
            "class T:\n    def test_m(self):\n        pass\n    def helper(self): ...\n",
            1,
        ),
        ("test_a.py", "def testing_helper():\n    pass\n# def test_in_comment\n", 0),
        ("a.spec.js", "test('x', () => {});\nit.only('y', () => {});\nsubmit(1); latest(2);\n", 2),
        ("a.test.mjs", "describe('s', () => { it('a', () => {}); test.skip('b', () => {}); });", 2),
        ("a.test.js", "test('a', () => {});\nxtest('b', () => {});\nxit('c', () => {});\n", 3),
        (
            "a_test.go",
            "func TestA(t *testing.T) {}\nfunc TestB(t *testing.T) {}\nfunc helper() {}\n",
            2,
        ),
        ("a.go", "func TestA(t *testing.T) {}\n", 0),
        ("README.md", "def test_x():", 0),
    ],
)
def test_count_tests_in_file(name: str, text: str, expected: int) -> None:
    assert count_tests_in_file(name, text) == expected


def test_count_lines_counts_a_last_line_without_newline() -> None:
    assert (count_lines(""), count_lines("a\n"), count_lines("a\nb")) == (0, 1, 2)


def test_task_facts_and_suite_stats_on_the_good_fixtures() -> None:
    facts = [task_facts(task) for task in load_tasks(GOOD)]
    median = next(f for f in facts if f.id == "good-py-median")
    assert (median.files, median.lines, median.tests) == (2, 14, 3)
    assert len(median.hash) == 16
    stats = suite_stats(facts)
    assert stats["tasks"] == 2
    assert stats["by_category"] == {"bugfix": 1, "feature": 1}
    assert stats["by_language"] == {"python": 2}
    assert stats["files"] == {"min": 2, "median": 2, "max": 2}
    assert stats["tests"] == {"min": 3, "median": 3, "max": 3}


def test_suite_stats_of_nothing_is_zeroes() -> None:
    assert suite_stats([])["lines"] == {"min": 0, "median": 0, "max": 0}


def test_the_count_is_the_validated_lists_not_a_regex(tmp_path: Path) -> None:
    """Grading counts the lists; a helper the regex would count does not change that."""
    task_dir = tmp_path / "good-py-median"
    shutil.copytree(GOOD / "good-py-median", task_dir)
    test_file = next((task_dir / "tests").glob("test_*.py"))
    test_file.write_text(test_file.read_text() + "\n\ndef test_helper_not_collected():\n    pass\n")
    facts = task_facts(load_task(task_dir))
    assert (facts.tests, facts.tests_estimated, facts.tests_label) == (3, False, "3")


def test_a_task_with_empty_lists_gets_a_marked_estimate(tmp_path: Path) -> None:
    task_dir = tmp_path / "good-py-median"
    shutil.copytree(GOOD / "good-py-median", task_dir)
    toml = task_dir / "task.toml"
    text = re.sub(r"(?ms)^(fail|pass)_to_pass = \[.*?\]\n", r"\1_to_pass = []\n", toml.read_text())
    toml.write_text(text)
    facts = task_facts(load_task(task_dir))
    assert (facts.tests, facts.tests_estimated, facts.tests_label) == (3, True, "~3")
    assert facts.as_json()["tests_estimated"] is True
    assert suite_stats([facts])["tests_estimated"] == 1
