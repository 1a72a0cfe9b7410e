"""Grade a change to a task in a fresh sandbox (task-format.md, "Grading").

1. The change is checked (relative paths, no ``..``, no file where a folder must go);
   a change that cannot be applied is graded ``unappliable`` without a sandbox.
2. A fresh sandbox gets ``repo/`` with the change applied at ``/work``; everything the
   change put under ``tests/`` is dropped and the hidden ``tests/`` is written instead,
   so a model cannot grade itself by editing the tests. (Sandboxes are fresh, so doing
   this in the file map before one write equals "remove /work/tests, then copy".)
   Test-harness files (``HARNESS_FILES`` and the task's ``[grade].protected``: a root
   ``conftest.py``, ``pytest.ini``, a Go ``*_test.go``...) are restored to ``repo/``'s
   state for the same reason, and the grade says which were (``Grade.restored``).
3. ``[grade].command`` runs in ``/work`` under ``sh -c`` with ``ROUTR_JUNIT`` set (a
   fresh path per grading), the task's limits and timeout and no network. A standard
   command is replaced by Routr's hardened runner, with canary tests added to every
   test process (``runners``, ``canaries``).
4. When the command ends, every process it left is killed, and only then is the
   report read and checked against the seal the runner wrote at the end of its
   session (``integrity``).
5. :func:`decide` turns the run and the trusted report into a ``Grade``; a seal or
   canary contradiction makes it ``tampered``, never solved (``Grade.integrity``).

Infrastructure failures are caught and become ``reason="sandbox_error"`` so a bench run
records them and goes on; callers that must tell them apart from a model's failure
check that reason or pass ``raise_sandbox_errors=True`` to get ``SandboxUnavailable``.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from routr_cli.errors import SandboxUnavailable
from routr_cli.grading.canaries import Canaries, hide_lines, is_canary
from routr_cli.grading.canaries import check as check_canaries
from routr_cli.grading.canaries import make as make_canaries
from routr_cli.grading.integrity import SealCheck, check_seal
from routr_cli.grading.junit import parse_junit
from routr_cli.grading.model import Grade, Integrity, Reason, TestOutcome
from routr_cli.grading.runners import RunPlan, plan
from routr_cli.sandbox.base import (
    WORKDIR,
    ExecResult,
    SandboxFactory,
    SandboxSpec,
    WriteRejected,
    cap_output,
    check_relative,
)
from routr_cli.tasks.model import HARNESS_FILES, Change, GradeSpec, Task, apply_change, is_protected

TESTS_DIR = "tests"


def normalize_change(change: Change) -> tuple[Change, str | None]:
    """The change with normalised paths, or a one-line reason why it cannot be applied."""
    normalized: Change = {}
    for path, text in change.items():
        try:
            normalized[check_relative(path)] = text
        except ValueError as exc:
            return {}, str(exc)
    return normalized, None


def grading_files(
    task: Task, change: Change, *, restore_harness: bool = True
) -> tuple[dict[str, str], tuple[str, ...]]:
    """``repo/`` + ``change``, with ``tests/`` replaced by the task's hidden tests and the
    test-harness files restored; also the harness paths the change had touched.
    ``restore_harness=False`` keeps them as changed (the attack suite's control only)."""
    repo = task.repo_files()
    files = apply_change(repo, change)
    kept = {
        path: text
        for path, text in files.items()
        if path != TESTS_DIR and not path.startswith(TESTS_DIR + "/")
    }
    harness = (*HARNESS_FILES, *task.grade.protected)
    restored = tuple(
        path
        for path in sorted(set(kept) | set(repo))
        if kept.get(path) != repo.get(path)
        and not path.startswith(TESTS_DIR + "/")
        and is_protected(path, harness)
        and restore_harness
    )
    for path in restored:
        if path in repo:
            kept[path] = repo[path]
        else:
            del kept[path]
    kept.update({f"{TESTS_DIR}/{rel}": text for rel, text in task.test_files().items()})
    return kept, restored


def path_conflict(files: dict[str, str]) -> str | None:
    """A path that is both a file and a folder of another path (cannot be written), if any."""
    for path in files:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if prefix in files:
                return f"{prefix!r} is a file but {path!r} needs it to be a folder"
    return None


@dataclass(frozen=True)
class Defences:
    """The grading defences (docs/threat-model.md), all on unless a test switches one off.

    Only the attack suite turns them off, to show that each defence is what stops its
    attack (the control graded solved without it). Bench, validate and every command
    grade with :data:`ALL_DEFENCES`.
    """

    restored_harness: bool = True  # conftest.py, *_test.go... put back (HARNESS_FILES)
    hardened_runner: bool = True  # Routr's runner for standard commands (runners.py)
    sealed_report: bool = True  # report sealed on a pipe; leftovers killed before reading
    listed_tests_rule: bool = True  # no report is never a pass when the task lists tests
    canaries: bool = True  # must-fail / must-pass-with-nonce tests in every test process

    def without(self, *names: str) -> Defences:
        """These defences, with ``names`` switched off."""
        unknown = set(names) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown defences: {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **dict.fromkeys(names, False))


ALL_DEFENCES = Defences()


def grade_change(
    task: Task,
    change: Change,
    backend: SandboxFactory,
    *,
    raise_sandbox_errors: bool = False,
    defences: Defences = ALL_DEFENCES,
) -> Grade:
    """Apply ``change`` to ``task``'s repo, run the hidden tests in a fresh sandbox, grade it."""
    start = time.monotonic()
    normalized, problem = normalize_change(change)
    files, restored = (
        grading_files(task, normalized, restore_harness=defences.restored_harness)
        if problem is None
        else ({}, ())
    )
    problem = problem or path_conflict(files)
    if problem is not None:
        return _ungraded("unappliable", f"the change cannot be applied: {problem}", start)
    run_plan = plan(
        task.grade.command,
        task.image,
        hardened=defences.hardened_runner,
        sealed=defences.sealed_report,
    )
    canaries = None
    if defences.canaries and run_plan.kind is not None:
        hidden = {p[len(TESTS_DIR) + 1 :]: t for p, t in files.items() if p.startswith("tests/")}
        canaries = make_canaries(run_plan.kind, hidden)
        files.update(canaries.files if canaries else {})
    try:
        with backend.open(SandboxSpec(task.image, task.limits)) as sandbox:
            sandbox.write_files(dict(files))
            run = sandbox.exec(
                run_plan.command,
                timeout=float(task.grade.timeout_s),
                env=run_plan.env,
                workdir=WORKDIR,
            )
            alone = sandbox.kill_strays() if defences.sealed_report else True
            report = sandbox.read_file(run_plan.report_path)
    except WriteRejected as exc:  # the change's files, not the sandbox: this attempt fails
        return _ungraded("unappliable", f"the change cannot be applied: {exc}", start)
    except SandboxUnavailable as exc:
        if raise_sandbox_errors:
            raise
        return _ungraded("sandbox_error", f"sandbox error: {exc}", start)
    grade = _judge(task.grade, run_plan, run, report, alone, canaries, defences, start)
    if not restored:
        return grade
    note = "routr: restored test-harness files the change touched: " + ", ".join(restored)
    return dataclasses.replace(grade, restored=restored, output=note + "\n" + grade.output)


def _judge(
    spec: GradeSpec,
    run_plan: RunPlan,
    run: ExecResult,
    report: str | None,
    alone: bool,
    canaries: Canaries | None,
    defences: Defences,
    start: float,
) -> Grade:
    """Seal, report, rules and canaries -> the grade (pure once the run is over)."""
    seal = check_seal(run.stdout, report) if run_plan.sealed else None
    if run_plan.sealed:
        run = dataclasses.replace(run, stdout="")  # stdout was the seal pipe, not output
    # A sealed report is trusted by its seal (a rewrite, even one racing the read, breaks
    # it); an unsealed one only when nothing the run left behind was still running.
    trusted = report if (seal.state == "sealed" if seal else alone) else None
    reported = parse_junit(trusted)
    tests = [t for t in reported if not is_canary(t, canaries)]
    grade = decide(
        spec,
        run,
        tests,
        time.monotonic() - start,
        trust_exit_status=not defences.listed_tests_rule,
    )
    grade = dataclasses.replace(grade, output=hide_lines(grade.output, canaries))
    integrity, detail = _integrity(
        grade, run_plan, run, seal, alone, reported, trusted, canaries, defences
    )
    if integrity == "tampered":
        return dataclasses.replace(
            grade,
            solved=False,
            reason="tampered",
            integrity=integrity,
            integrity_detail=detail,
            output=f"routr: tampered: {detail}\n{grade.output}",
        )
    return dataclasses.replace(grade, integrity=integrity, integrity_detail=detail)


def _integrity(
    grade: Grade,
    run_plan: RunPlan,
    run: ExecResult,
    seal: SealCheck | None,
    alone: bool,
    reported: list[TestOutcome],
    report: str | None,
    canaries: Canaries | None,
    defences: Defences,
) -> tuple[Integrity, str]:
    """What the seal and the canaries prove about this run (see ``Integrity``)."""
    if seal is not None and seal.state == "tampered":
        return "tampered", seal.detail
    if canaries is not None:
        verdict = check_canaries(report, reported, canaries)
        if verdict.tampered:
            return "tampered", verdict.tampered
        if verdict.lost and grade.solved:
            return "tampered", f"{verdict.lost}, yet every graded test passed"
        if verdict.lost:
            return "unverified", verdict.lost
    if run.timed_out or run.oom_killed:
        return "unverified", "the run was killed before it ended"
    if not alone:
        return "unverified", "processes the run left behind could not be stopped"
    if run_plan.kind is None:
        return "unverified", "the task's own test command: no sealed report or canaries"
    if seal is None:
        return "unchecked", "the sealed report was switched off"
    if seal.state != "sealed":
        return "unverified", seal.detail
    if canaries is None and defences.canaries:
        return "unverified", "no test file the runner runs could carry the canary tests"
    if canaries is None:
        return "unchecked", "the canary tests were switched off"
    return "verified", ""


def _ungraded(reason: Reason, output: str, start: float) -> Grade:
    """A grade for a change whose tests never ran: not solved, no score."""
    return Grade(
        solved=False,
        score=0.0,
        duration_s=time.monotonic() - start,
        reason=reason,
        output=output,
    )


def grade_reference(
    task: Task, backend: SandboxFactory, *, raise_sandbox_errors: bool = False
) -> Grade:
    """Grade the task's reference change (``solution/`` plus its deletions)."""
    return grade_change(
        task, task.solution_change(), backend, raise_sandbox_errors=raise_sandbox_errors
    )


def grade_repo_only(
    task: Task, backend: SandboxFactory, *, raise_sandbox_errors: bool = False
) -> Grade:
    """Grade ``repo/`` unchanged (what ``fail_to_pass`` must fail on)."""
    return grade_change(task, {}, backend, raise_sandbox_errors=raise_sandbox_errors)


def decide(
    spec: GradeSpec,
    run: ExecResult,
    tests: list[TestOutcome],
    duration_s: float,
    *,
    trust_exit_status: bool = False,
) -> Grade:
    """The grading rules, pure: which tests count, solved, score and the reason.

    Graded tests are ``fail_to_pass`` + ``pass_to_pass`` (a listed test missing from
    the report counts as failing); with both lists empty, every test in the report
    except skipped ones, and there must be at least one. A test id reported more than
    once passes only if every instance passed. Without a report, a task that lists its
    tests is not solved (``no_report``): an exit status is easy to forge (``os._exit(0)``
    at import). Only a task with both lists empty (its own command, no JUnit report) is
    decided by the exit status, score 1.0 or 0.0. ``trust_exit_status`` restores the
    old rule for the attack suite's control. A timeout or an out-of-memory kill is
    never solved.
    """
    if tests:
        passed: dict[str, bool] = {}
        for test in tests:
            passed[test.id] = passed.get(test.id, True) and test.outcome == "passed"
        listed = list(dict.fromkeys((*spec.fail_to_pass, *spec.pass_to_pass)))
        graded = listed or list(dict.fromkeys(t.id for t in tests if t.outcome != "skipped"))
        passing = sum(1 for test_id in graded if passed.get(test_id, False))
        score = passing / len(graded) if graded else 0.0
        solved = bool(graded) and passing == len(graded)
    else:
        lists = bool(spec.fail_to_pass or spec.pass_to_pass)
        solved = run.exit_code == 0 and (trust_exit_status or not lists)
        score = 1.0 if solved else 0.0
    reason: Reason | None = None
    if run.timed_out:
        reason = "timeout"
    elif run.oom_killed:
        reason = "out_of_memory"
    elif not solved:
        reason = "tests_failed" if tests else "no_report"
    if reason is not None:
        solved = False
        score = score if tests else 0.0
    combined = run.stdout + (("\n" if run.stdout and run.stderr else "") + run.stderr)
    return Grade(
        solved=solved,
        score=score,
        tests=tuple(tests),
        duration_s=duration_s,
        timed_out=run.timed_out,
        reason=reason,
        exit_code=run.exit_code,
        output=cap_output(combined)[0],
    )
