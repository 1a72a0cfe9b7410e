"""The integrity rules in pure code: seals, canaries, runners, the no-report rule."""

from __future__ import annotations

import hashlib
import time

import pytest

from routr_cli.grading import Grade, decide, parse_junit
from routr_cli.grading import TestOutcome as Outcome
from routr_cli.grading.canaries import Canaries, check, hide_lines, is_canary, make
from routr_cli.grading.grader import ALL_DEFENCES, _judge
from routr_cli.grading.integrity import check_seal
from routr_cli.grading.runners import HARDENED_COMMANDS, SEAL_PIPE_PREFIX, plan, standard_kind
from routr_cli.sandbox.base import ExecResult
from routr_cli.tasks.importers.common import PYTEST_COMMAND
from routr_cli.tasks.importers.exercism import GO_COMMAND, NODE_COMMAND
from routr_cli.tasks.model import GradeSpec

REPORT = "<testsuites><testsuite><testcase classname='m' name='t'/></testsuite></testsuites>"


def seal_of(text: str) -> str:
    return f"routr-seal sha256={hashlib.sha256(text.encode()).hexdigest()}\n"


def test_a_sealed_report_is_trusted() -> None:
    assert check_seal(seal_of(REPORT), REPORT).state == "sealed"


@pytest.mark.parametrize(
    ("pipe", "report", "detail"),
    [
        (seal_of(REPORT), REPORT.replace("t'", "u'"), "rewritten after it was sealed"),
        (seal_of(REPORT) + seal_of("forged"), REPORT, "more than one write"),
        ("PASSED\n", REPORT, "something other than a seal"),
        (seal_of(REPORT), None, "removed after the run"),
    ],
)
def test_a_seal_contradiction_is_tampering(pipe: str, report: str | None, detail: str) -> None:
    result = check_seal(pipe, report)
    assert result.state == "tampered"
    assert detail in result.detail


def test_no_seal_means_the_session_never_ended() -> None:
    assert check_seal("", REPORT).state == "unsealed"


def canaries() -> Canaries:
    return Canaries(
        "test_p", "test_f", "NONCE42", {}, 1, frozenset({"test_p", "test_f", "NONCE42"})
    )


def report_with(pass_outcome: str, fail_outcome: str, nonce: str = "NONCE42") -> str:
    def case(name: str, outcome: str, extra: str = "") -> str:
        body = {"passed": "", "failed": "<failure message='x'/>", "skipped": "<skipped/>"}
        return f"<testcase classname='tests.c' name='{name}'>{body[outcome]}{extra}</testcase>"

    prop = f"<properties><property name='k' value='{nonce}'/></properties>"
    return (
        "<testsuites><testsuite>"
        + case("test_p", pass_outcome, prop)
        + case("test_f", fail_outcome)
        + "<testcase classname='tests.c' name='test_real'/></testsuite></testsuites>"
    )


def test_honest_canaries_pass_the_check() -> None:
    report = report_with("passed", "failed")
    verdict = check(report, parse_junit(report), canaries())
    assert (verdict.tampered, verdict.lost) == ("", "")


@pytest.mark.parametrize(
    ("pass_outcome", "fail_outcome", "nonce", "detail"),
    [
        ("passed", "passed", "NONCE42", "must fail was reported as passing"),
        ("passed", "failed", "OTHER", "without its nonce"),
    ],
)
def test_canary_contradictions(
    pass_outcome: str, fail_outcome: str, nonce: str, detail: str
) -> None:
    report = report_with(pass_outcome, fail_outcome, nonce)
    assert detail in check(report, parse_junit(report), canaries()).tampered


def test_lost_canaries_are_reported_not_judged() -> None:
    verdict = check(REPORT, parse_junit(REPORT), canaries())
    assert verdict.tampered == ""
    assert "missing" in verdict.lost
    skipped = report_with("passed", "skipped")  # an autouse fixture may skip everything
    verdict = check(skipped, parse_junit(skipped), canaries())
    assert verdict.tampered == "" and "skipped" in verdict.lost


def test_nonce_in_a_node_suite_output_counts() -> None:
    report = (
        "<testsuites><testsuite name='tests/a.test.mjs'>"
        "<testcase classname='tests/a.test.mjs' name='test_p'/>"
        "<testcase classname='tests/a.test.mjs' name='test_f'><failure/></testcase>"
        "<system-out>NONCE42\n</system-out></testsuite></testsuites>"
    )
    verdict = check(report, parse_junit(report), canaries())
    assert (verdict.tampered, verdict.lost) == ("", "")


def test_canaries_never_count_and_are_hidden_from_output() -> None:
    tests = parse_junit(report_with("passed", "failed"))
    assert [t.id for t in tests if not is_canary(t, canaries())] == ["tests.c::test_real"]
    output = "ok line\nFAILED tests/x.py::test_f - assert 1 == 2\nNONCE42\nlast"
    assert hide_lines(output, canaries()) == "ok line\nlast"


def test_fresh_names_and_nonce_every_grading() -> None:
    first, second = make("pytest", {}), make("pytest", {})
    assert first is not None and second is not None
    assert first.names.isdisjoint(second.names)
    assert first.nonce != second.nonce
    assert "routr" not in "".join(first.files) + "".join(first.files.values())


def test_node_and_go_canaries_go_into_every_test_process() -> None:
    hidden = {"a.test.mjs": "A", "sub/b_test.js": "B", "fixtures.mjs": "F"}
    node = make("node", hidden)
    assert node is not None
    assert sorted(node.files) == ["tests/a.test.mjs", "tests/sub/b_test.js"]
    assert node.files["tests/a.test.mjs"].startswith("A") and node.copies == 2
    go_hidden = {
        "inicfg/parse_test.go": "// Package doc\npackage inicfg_test\n",
        "inicfg/more_test.go": "package inicfg\n",
        "main_test.go": "/* block\npackage nope */\npackage main\n",
    }
    go = make("go", go_hidden)
    assert go is not None and go.copies == 2
    texts = {path.rsplit("/", 1)[0]: text for path, text in go.files.items()}
    assert texts["tests/inicfg"].startswith("package inicfg\n")  # first file, sorted
    assert texts["tests"].startswith("package main\n")
    assert make("node", {"fixtures.mjs": ""}) is None


def test_the_standard_commands_get_routr_runner() -> None:
    for command in (PYTEST_COMMAND, NODE_COMMAND, GO_COMMAND):
        assert standard_kind(command) is not None, command
    run = plan(PYTEST_COMMAND)
    assert run.command == SEAL_PIPE_PREFIX + HARDENED_COMMANDS["pytest"]
    assert run.env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "1"
    assert run.env["ROUTR_JUNIT"].startswith("/tmp/routr-junit-")
    assert run.env["ROUTR_JUNIT"] != plan(PYTEST_COMMAND).env["ROUTR_JUNIT"]
    assert "-I" in run.command.split() and "-c /opt/routr/pytest.ini" in run.command
    go = plan(GO_COMMAND)
    assert go.env["GOWORK"] == "off" and go.env["GOFLAGS"] == ""


def test_a_task_own_command_runs_as_written() -> None:
    run = plan("make check")
    assert (run.command, run.kind, run.sealed) == ("make check", None, False)
    assert plan(PYTEST_COMMAND, "python").kind == "pytest"
    assert plan(PYTEST_COMMAND, "my-python").command == PYTEST_COMMAND  # no /opt/routr there
    assert plan(PYTEST_COMMAND, hardened=False, sealed=False).command == PYTEST_COMMAND


def test_defences_switch_off_by_name() -> None:
    assert ALL_DEFENCES.without("canaries").canaries is False
    assert ALL_DEFENCES.without("canaries").sealed_report is True
    with pytest.raises(ValueError, match="unknown defences: nope"):
        ALL_DEFENCES.without("nope")


def run(exit_code: int = 0) -> ExecResult:
    return ExecResult(exit_code, "", "", 1.0)


def test_no_report_is_never_a_pass_when_tests_are_listed() -> None:
    spec = GradeSpec(command="x", fail_to_pass=("tests.t::a",))
    grade = decide(spec, run(0), [], 1.0)
    assert (grade.solved, grade.reason) == (False, "no_report")
    control = decide(spec, run(0), [], 1.0, trust_exit_status=True)
    assert control.solved  # the old rule, which os._exit(0) at import forged
    assert decide(GradeSpec(command="x"), run(0), [], 1.0).solved  # no lists: exit decides


def test_a_listed_test_missing_from_the_report_failed() -> None:
    spec = GradeSpec(command="x", fail_to_pass=("m::a", "m::b"))
    grade = decide(spec, run(0), [Outcome("m::a", "passed")], 1.0)
    assert (grade.solved, grade.score, grade.reason) == (False, 0.5, "tests_failed")


def judge(
    command: str, pipe: str, report: str | None, *, alone: bool = True, exit_code: int = 0
) -> Grade:
    """The grader's verdict on a finished run (no sandbox: _judge is pure)."""
    spec = GradeSpec(command=command, fail_to_pass=("m::t",))
    run_plan = plan(command)
    run = ExecResult(exit_code, pipe, "output", 1.0)
    return _judge(spec, run_plan, run, report, alone, None, ALL_DEFENCES, time.monotonic())


def test_a_sealed_report_without_canaries_grades_but_is_not_verified() -> None:
    grade = judge(PYTEST_COMMAND, seal_of(REPORT), REPORT)
    assert grade.solved and grade.integrity == "unverified"  # no canaries were given
    assert "canary" in grade.integrity_detail


def test_no_seal_means_no_trusted_report() -> None:
    grade = judge(PYTEST_COMMAND, "", REPORT)
    assert (grade.solved, grade.reason, grade.integrity) == (False, "no_report", "unverified")


def test_a_rewritten_report_is_tampered_whatever_it_says() -> None:
    grade = judge(PYTEST_COMMAND, seal_of(REPORT.replace("'t'", "'x'")), REPORT)
    assert (grade.solved, grade.reason, grade.integrity) == (False, "tampered", "tampered")
    assert grade.output.startswith("routr: tampered: the report was rewritten")


def test_leftovers_that_survive_leave_a_sealed_report_trusted_but_unverified() -> None:
    grade = judge(PYTEST_COMMAND, seal_of(REPORT), REPORT, alone=False)
    assert (grade.solved, grade.integrity) == (True, "unverified")
    assert "could not be stopped" in grade.integrity_detail
    unsealed = judge("make check", "", REPORT, alone=False)
    assert (unsealed.solved, unsealed.reason) == (False, "no_report")


def test_a_task_own_command_is_graded_but_unverified() -> None:
    grade = judge("make check", "", REPORT)
    assert grade.solved and grade.integrity == "unverified"
    assert "output" in grade.output


def test_what_follows_a_canary_line_is_hidden_with_it() -> None:
    output = "\n".join(
        [
            "____ test_f ____",  # pytest: the whole failure section goes
            "    def test_f():",
            ">       assert 1 == 2",
            "____ test_real ____",
            ">       assert add(2, 3) == 5",
            "test at tests/a.test.mjs:9:3",  # node: the block under the line goes
            "  AssertionError: 1 !== 2",
            "",
            "      at file:///work/tests/a.test.mjs:10:5",
            "test at tests/a.test.mjs:5:1",
            "  AssertionError: -1 !== 5",
        ]
    )
    hidden = Canaries("p", "test_f", "N", {}, 1, frozenset({"test_f", "tests/a.test.mjs:9:"}))
    assert hide_lines(output, hidden).split("\n") == [
        "____ test_real ____",
        ">       assert add(2, 3) == 5",
        "test at tests/a.test.mjs:5:1",
        "  AssertionError: -1 !== 5",
    ]


def test_node_failures_at_the_pair_lines_are_hidden() -> None:
    node = make("node", {"a.test.mjs": "line one\nline two\n"})
    assert node is not None
    assert "tests/a.test.mjs:3:" in node.hide and "tests/a.test.mjs:2:" not in node.hide


def test_a_go_package_failed_only_by_its_canary_reads_ok() -> None:
    hidden = Canaries("TestP", "TestF", "N", {}, 1, frozenset({"TestP", "TestF", "N"}))
    output = "=== RUN   TestF\n--- FAIL: TestF (0.00s)\nFAIL\nFAIL\texample.com/m/calc\t0.01s"
    assert hide_lines(output, hidden) == "PASS\nok  \texample.com/m/calc\t0.01s"
    real = "--- FAIL: TestAdd (0.00s)\n--- FAIL: TestF (0.00s)\nFAIL\nFAIL\texample.com/m\t0.01s"
    assert hide_lines(real, hidden).split("\n")[1:] == ["FAIL", "FAIL\texample.com/m\t0.01s"]
    panicked = "--- FAIL: TestF (0.00s)\npanic: boom\nFAIL\texample.com/m\t0.01s"
    assert hide_lines(panicked, hidden).endswith("FAIL\texample.com/m\t0.01s")
