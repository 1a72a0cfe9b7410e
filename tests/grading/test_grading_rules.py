"""parse_junit and the solved/score rules: pure code, no Docker."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from routr_cli.grading import TestOutcome as Outcome
from routr_cli.grading import decide, parse_junit
from routr_cli.grading.grader import grading_files, normalize_change, path_conflict
from routr_cli.sandbox.base import TRUNCATION_MARK, ExecResult
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import GradeSpec

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "sandbox_tasks" / "py-tiny-add"

PYTEST_REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="1"
 tests="4" time="0.05">
<testcase classname="tests.test_calc" name="test_add" time="0.001">
  <failure message="assert -1 == 5">def test_add(): ...</failure></testcase>
<testcase classname="tests.test_calc" name="test_negate" time="0.002" />
<testcase classname="tests.test_calc" name="test_skip" time="0"><skipped message="later" />
</testcase>
<testcase classname="" name="tests/test_broken.py" time="0.0">
  <error message="collection failure">ImportError</error></testcase>
</testsuite></testsuites>"""


def run(exit_code: int | None = 0, *, timed_out: bool = False, oom: bool = False) -> ExecResult:
    return ExecResult(exit_code, "out", "err", 1.0, timed_out=timed_out, oom_killed=oom)


def outcome(test_id: str, result: str) -> Outcome:
    return Outcome(test_id, result)  # type: ignore[arg-type]


def test_parse_pytest_report() -> None:
    tests = parse_junit(PYTEST_REPORT)
    assert [(t.id, t.outcome) for t in tests] == [
        ("tests.test_calc::test_add", "failed"),
        ("tests.test_calc::test_negate", "passed"),
        ("tests.test_calc::test_skip", "skipped"),
        ("tests/test_broken.py", "error"),
    ]
    assert tests[0].message == "assert -1 == 5"
    assert tests[1].duration_s == pytest.approx(0.002)


def test_parse_nested_suites_and_bare_testsuite() -> None:
    nested = (
        "<testsuites><testsuite name='a'><testsuite name='b'>"
        "<testcase classname='pkg' name='TestX/sub'/></testsuite></testsuite>"
        "<testsuite name='c'><testcase name='solo' time='bad'><failure>boom</failure>"
        "</testcase></testsuite></testsuites>"
    )
    tests = parse_junit(nested)
    assert [(t.id, t.outcome, t.message) for t in tests] == [
        ("pkg::TestX/sub", "passed", ""),
        ("solo", "failed", "boom"),
    ]
    assert tests[1].duration_s == 0.0
    bare = parse_junit("<testsuite><testcase classname='m' name='t'/></testsuite>")
    assert [t.id for t in bare] == ["m::t"]


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not xml",
        "<testsuite><testcase name='cut'",
        "<html><testcase name='x'/></html>",
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        "<testsuite><testcase name='&lol;'/></testsuite>",
    ],
)
def test_unusable_reports_count_as_no_report(text: str | None) -> None:
    assert parse_junit(text) == []


def test_listed_tests_decide_solved_and_score() -> None:
    spec = GradeSpec("cmd", fail_to_pass=("a::f",), pass_to_pass=("a::p", "a::q"))
    tests = [outcome("a::f", "passed"), outcome("a::p", "passed"), outcome("a::q", "failed")]
    graded = decide(spec, run(1), tests, 2.0)
    assert not graded.solved and graded.reason == "tests_failed"
    assert graded.score == pytest.approx(2 / 3)
    assert graded.tests == tuple(tests) and graded.exit_code == 1

    extra = [*tests[:2], outcome("a::q", "passed"), outcome("a::unlisted", "failed")]
    solved = decide(spec, run(1), extra, 2.0)
    assert solved.solved and solved.score == 1.0 and solved.reason is None
    assert len(solved.tests) == 4  # every reported test is kept for validate


def test_a_listed_test_missing_from_the_report_fails() -> None:
    spec = GradeSpec("cmd", fail_to_pass=("a::f",), pass_to_pass=("a::gone",))
    graded = decide(spec, run(0), [outcome("a::f", "passed")], 1.0)
    assert not graded.solved and graded.score == 0.5


def test_skipped_or_duplicated_listed_tests_do_not_pass() -> None:
    spec = GradeSpec("cmd", fail_to_pass=("a::f", "a::d"))
    tests = [outcome("a::f", "skipped"), outcome("a::d", "passed"), outcome("a::d", "failed")]
    graded = decide(spec, run(0), tests, 1.0)
    assert not graded.solved and graded.score == 0.0


def test_empty_lists_grade_every_test_and_need_one() -> None:
    spec = GradeSpec("cmd")
    tests = [outcome("x", "passed"), outcome("y", "skipped"), outcome("z", "passed")]
    assert decide(spec, run(0), tests, 1.0).solved
    failing = decide(spec, run(1), [*tests, outcome("w", "error")], 1.0)
    assert not failing.solved and failing.score == pytest.approx(2 / 3)
    only_skipped = decide(spec, run(0), [outcome("y", "skipped")], 1.0)
    assert not only_skipped.solved and only_skipped.score == 0.0


def test_without_a_report_the_exit_status_decides_only_without_lists() -> None:
    listed = GradeSpec("cmd", fail_to_pass=("a::f",))
    forged = decide(listed, run(0), [], 1.0)
    assert not forged.solved and forged.score == 0.0 and forged.reason == "no_report"
    unlisted = GradeSpec("cmd")
    ok = decide(unlisted, run(0), [], 1.0)
    assert ok.solved and ok.score == 1.0 and ok.reason is None
    bad = decide(unlisted, run(2), [], 1.0)
    assert not bad.solved and bad.score == 0.0 and bad.reason == "no_report"


def test_timeout_and_oom_are_never_solved() -> None:
    spec = GradeSpec("cmd", fail_to_pass=("a::f",))
    passed = [outcome("a::f", "passed")]
    late = decide(spec, run(None, timed_out=True), passed, 9.0)
    assert not late.solved and late.reason == "timeout" and late.timed_out
    oom = decide(spec, run(137, oom=True), [], 3.0)
    assert not oom.solved and oom.reason == "out_of_memory" and oom.score == 0.0


def test_output_combines_and_caps_the_streams() -> None:
    huge = ExecResult(1, "o" * 200_000, "e" * 10, 1.0)
    graded = decide(GradeSpec("cmd"), huge, [], 1.0)
    assert TRUNCATION_MARK in graded.output and graded.output.endswith("e" * 10)


def test_change_paths_are_checked() -> None:
    assert normalize_change({"./a//b.py": "x"}) == ({"a/b.py": "x"}, None)
    for bad in ("/etc/passwd", "../x", "a/../../x", "", "a\\b"):
        change, problem = normalize_change({bad: "x"})
        assert change == {} and problem, bad
    assert path_conflict({"a.py": "", "a.py/b": ""}) is not None
    assert path_conflict({"a/b.py": "", "a/c.py": ""}) is None


def test_hidden_tests_replace_the_changes_tests() -> None:
    task = load_task(FIXTURE)
    files, restored = grading_files(
        task, {"tests/test_calc.py": "cheat", "tests/extra.py": "cheat", "calc/x.py": "new"}
    )
    assert restored == ()
    assert files["tests/test_calc.py"] == task.test_files()["test_calc.py"]
    assert "tests/extra.py" not in files and files["calc/x.py"] == "new"
    tests_file, _ = grading_files(task, {"tests": "a file where the folder goes"})
    assert "tests" not in tests_file


def test_test_harness_files_are_restored_before_grading() -> None:
    task = load_task(FIXTURE)
    forged = "def pytest_runtest_logreport(report):\n    report.outcome = 'passed'\n"
    change = {
        "conftest.py": forged,  # a new root hook: dropped
        "calc/conftest.py": forged,  # at any depth
        "calc/main_test.go": "func TestMain(m *testing.M) { os.Exit(0) }\n",
        "pytest.ini": "[pytest]\naddopts = -p calc.forge\n",
        "calc/x.py": "new",  # ordinary code is the model's to change
    }
    files, restored = grading_files(task, change)
    assert restored == ("calc/conftest.py", "calc/main_test.go", "conftest.py", "pytest.ini")
    assert not set(restored) & set(files)
    assert files["calc/x.py"] == "new"

    extra = dataclasses.replace(
        task, grade=dataclasses.replace(task.grade, protected=("calc/*.py",))
    )
    files, restored = grading_files(extra, {"calc/x.py": "new"})
    assert restored == ("calc/x.py",) and "calc/x.py" not in files
    original = next(p for p in task.repo_files() if p.startswith("calc/"))
    files, restored = grading_files(extra, {original: "edited"})
    assert restored == (original,) and files[original] == task.repo_files()[original]
