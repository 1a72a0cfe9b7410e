"""Grading: run a task's hidden tests on a change in a sandbox and read the JUnit report."""

from routr_cli.grading.grader import decide, grade_change, grade_reference, grade_repo_only
from routr_cli.grading.junit import parse_junit
from routr_cli.grading.model import Grade, TestOutcome

__all__ = [
    "Grade",
    "TestOutcome",
    "decide",
    "grade_change",
    "grade_reference",
    "grade_repo_only",
    "parse_junit",
]
