"""The validity rules as pure functions over Grade records (the Docker runs are in
test_tasks_validate_docker.py; flakes cannot be produced on demand there)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from routr_cli.grading.model import Grade, Outcome, Reason
from routr_cli.grading.model import TestOutcome as Result  # not collected by pytest
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import GradeSpec, Task
from routr_cli.tasks.validate import TaskValidation, assess, check_lists

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks"


def grade(*outcomes: tuple[str, Outcome], reason: Reason | None = None) -> Grade:
    """A Grade as the grader builds it from a JUnit report."""
    tests = tuple(
        Result(id=i, outcome=o, message=f"{i} broke" if o != "passed" else "") for i, o in outcomes
    )
    solved = reason is None and all(o == "passed" for _, o in outcomes)
    return Grade(solved=solved, score=1.0 if solved else 0.0, tests=tests, reason=reason)


def task_with(f2p: tuple[str, ...], p2p: tuple[str, ...]) -> Task:
    task = load_task(GOOD / "good-py-median")
    return replace(task, grade=GradeSpec(command="true", fail_to_pass=f2p, pass_to_pass=p2p))


def test_clean_runs_give_the_lists_and_no_problems() -> None:
    ref = grade(("a", "passed"), ("b", "passed"), ("s", "skipped"))
    evidence = assess([ref, ref], grade(("a", "failed"), ("b", "passed"), ("s", "skipped")))
    assert evidence.problems == []
    assert evidence.computed_lists() == (["a"], ["b"])
    assert check_lists(task_with(("a",), ("b",)), evidence) == []


def test_a_test_missing_on_repo_alone_counts_as_failing() -> None:
    evidence = assess([grade(("a", "passed"))], grade(("tests/test_x.py", "error")))
    assert evidence.computed_lists() == (["a"], [])


def test_flake_across_runs_is_named_with_its_pass_count() -> None:
    evidence = assess(
        [grade(("a", "passed")), grade(("a", "failed")), grade(("a", "passed"))],
        grade(("a", "failed")),
    )
    assert evidence.problems == ["flaky with the reference: a passed 2 of 3 runs"]


def test_reference_failure_names_tests_and_the_first_message() -> None:
    evidence = assess([grade(("a", "failed"), ("b", "error"), ("c", "passed"))], grade())
    assert evidence.problems == [
        "the reference does not pass 2 tests (error/failed): a, b (first: a broke)"
    ]


def test_no_tests_and_infra_trouble_are_problems() -> None:
    evidence = assess([grade(reason="timeout")], grade())
    assert evidence.problems == [
        "the reference timed out (timeout)",
        "the reference run's report lists no tests (at least one needed)",
    ]
    assert evidence.reference_broke


def test_list_rules() -> None:
    evidence = assess(
        [grade(("a", "passed"), ("b", "passed"), ("s", "skipped"))],
        grade(("a", "passed"), ("b", "failed")),
    )
    problems = check_lists(task_with(("a", "ghost"), ("b", "a", "s")), evidence)
    assert problems == [
        "listed in both fail_to_pass and pass_to_pass: a",
        "listed test id(s) not in the report: ghost",
        "listed test(s) are skipped with the reference: s",
        "fail_to_pass test(s) already pass on repo/ alone: a",
        "pass_to_pass test(s) do not pass on repo/ alone (move them to fail_to_pass): b, s",
    ]


def test_empty_fail_to_pass_explains_itself() -> None:
    solved = assess([grade(("a", "passed"))], grade(("a", "passed")))
    assert check_lists(task_with((), ("a",)), solved) == [
        "fail_to_pass is empty and every test already passes on repo/ alone: "
        "the starting code needs no change (a refactoring exercise, or tests that "
        "miss the change), so there is nothing to grade"
    ]
    draft = assess([grade(("a", "passed"))], grade(("a", "failed")))
    assert check_lists(task_with((), ()), draft) == [
        "fail_to_pass is empty (run `routr tasks validate --write` to fill it)"
    ]
    flaky = assess([grade(("a", "passed")), grade(("a", "failed"))], grade(("a", "failed")))
    assert check_lists(task_with((), ()), flaky) == [
        "fail_to_pass is empty (`--write` fills it once the reference passes every run)"
    ]


def test_result_lines() -> None:
    ok = TaskValidation("t", (), ("a",), ("b", "c"), runs=3, duration_s=1.25)
    assert ok.line() == "ok t (3 runs, 1 fail_to_pass, 2 pass_to_pass, 1.2 s)"
    bad = TaskValidation("t", ("one\nrule", "two"))
    assert bad.line() == "INVALID t: one rule; two"
    assert bad.as_json()["valid"] is False
