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
3. ``[grade].command`` runs in ``/work`` under ``sh -c`` with ``ROUTR_JUNIT`` set, the
   task's limits and timeout and no network.
4. :func:`decide` turns the run and the JUnit report into a ``Grade``.

Infrastructure failures are caught and become ``reason="sandbox_error"`` so a bench run
records them and goes on; callers that must tell them apart from a model's failure
check that reason or pass ``raise_sandbox_errors=True`` to get ``SandboxUnavailable``.
"""

from __future__ import annotations

import dataclasses
import time

from routr_cli.errors import SandboxUnavailable
from routr_cli.grading.junit import parse_junit
from routr_cli.grading.model import Grade, Reason, TestOutcome
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

JUNIT_PATH = "/tmp/routr-junit.xml"
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


def grading_files(task: Task, change: Change) -> tuple[dict[str, str], tuple[str, ...]]:
    """``repo/`` + ``change``, with ``tests/`` replaced by the task's hidden tests and the
    test-harness files restored; also the harness paths the change had touched."""
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


def grade_change(
    task: Task, change: Change, backend: SandboxFactory, *, raise_sandbox_errors: bool = False
) -> Grade:
    """Apply ``change`` to ``task``'s repo, run the hidden tests in a fresh sandbox, grade it."""
    start = time.monotonic()
    normalized, problem = normalize_change(change)
    files, restored = grading_files(task, normalized) if problem is None else ({}, ())
    problem = problem or path_conflict(files)
    if problem is not None:
        return _ungraded("unappliable", f"the change cannot be applied: {problem}", start)
    try:
        with backend.open(SandboxSpec(task.image, task.limits)) as sandbox:
            sandbox.write_files(dict(files))
            run = sandbox.exec(
                task.grade.command,
                timeout=float(task.grade.timeout_s),
                env={"ROUTR_JUNIT": JUNIT_PATH},
                workdir=WORKDIR,
            )
            report = sandbox.read_file(JUNIT_PATH)
    except WriteRejected as exc:  # the change's files, not the sandbox: this attempt fails
        return _ungraded("unappliable", f"the change cannot be applied: {exc}", start)
    except SandboxUnavailable as exc:
        if raise_sandbox_errors:
            raise
        return _ungraded("sandbox_error", f"sandbox error: {exc}", start)
    grade = decide(task.grade, run, parse_junit(report), time.monotonic() - start)
    if not restored:
        return grade
    note = "routr: restored test-harness files the change touched: " + ", ".join(restored)
    return dataclasses.replace(grade, restored=restored, output=note + "\n" + grade.output)


def _ungraded(reason: Reason, output: str, start: float) -> Grade:
    """A grade for a change whose tests never ran: not solved, no score."""
    return Grade(
        solved=False,
        score=0.0,
        duration_s=time.monotonic() - start,
        reason=reason,
        output=output,
    )


def grade_reference(task: Task, backend: SandboxFactory, **kwargs: bool) -> Grade:
    """Grade the task's reference change (``solution/`` plus its deletions)."""
    return grade_change(task, task.solution_change(), backend, **kwargs)


def grade_repo_only(task: Task, backend: SandboxFactory, **kwargs: bool) -> Grade:
    """Grade ``repo/`` unchanged (what ``fail_to_pass`` must fail on)."""
    return grade_change(task, {}, backend, **kwargs)


def decide(spec: GradeSpec, run: ExecResult, tests: list[TestOutcome], duration_s: float) -> Grade:
    """The grading rules, pure: which tests count, solved, score and the reason.

    Graded tests are ``fail_to_pass`` + ``pass_to_pass`` (a listed test missing from
    the report counts as failing); with both lists empty, every test in the report
    except skipped ones, and there must be at least one. A test id reported more than
    once passes only if every instance passed. Without a report the exit status decides
    (score 1.0 or 0.0). A timeout or an out-of-memory kill is never solved.
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
        solved = run.exit_code == 0
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
