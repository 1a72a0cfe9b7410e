"""Prove, in the real sandbox, that a task is fit to grade models (task-format.md, Validity).

For each task: the reference (``repo/`` + ``solution/``) passes every test on ``runs``
runs in a row; ``repo/`` alone fails every ``fail_to_pass`` test and passes every
``pass_to_pass`` test; ``fail_to_pass`` is not empty; every listed id is in the report;
the prompt leaks neither tests nor solution. With ``write``, the two lists are computed
from the same runs and written into task.toml first (never when the reference fails a
test or no test fails on ``repo/`` alone), then checked like hand-written ones; a valid
task then gets its validation record (``proof.py``: the content hash it proved), which
``routr bench`` requires, and an invalid one loses any record it had.

A problem is a sentence naming the rule and the test, so a task author can act on it.
A test missing from a report counts as not passing: when ``repo/`` alone cannot even
import the module under test, pytest reports a collection error instead of the tests.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError, TaskFormatError
from routr_cli.grading.model import Grade
from routr_cli.sandbox.base import SandboxFactory, UnknownSandboxImage
from routr_cli.tasks.leak import describe_leaks, task_leaks
from routr_cli.tasks.load import load_task, select_task_folders
from routr_cli.tasks.model import Task
from routr_cli.tasks.proof import remove_record, write_record
from routr_cli.tasks.toml_write import write_test_lists
from routr_cli.text import plural

MAX_NAMED = 3  # tests named per problem before "and N more"
MAX_MESSAGE = 120  # characters of a failure message quoted in a problem
_INFRA_REASONS = {
    "timeout": "timed out",
    "out_of_memory": "ran out of memory",
    "sandbox_error": "hit a sandbox error",
    "unappliable": "could not be applied to repo/",
    "no_report": "wrote no JUnit report",
}


@dataclass(frozen=True)
class TaskValidation:
    """The verdict on one task; ``problems`` is empty exactly when it is valid."""

    id: str
    problems: tuple[str, ...]
    fail_to_pass: tuple[str, ...] = ()
    pass_to_pass: tuple[str, ...] = ()
    runs: int = 0
    duration_s: float = 0.0
    written: bool = False  # task.toml changed: the test lists or the validation record

    @property
    def valid(self) -> bool:
        return not self.problems

    def line(self) -> str:
        """``ok <id> (...)`` or ``INVALID <id>: <problems>``: one line, always."""
        if self.valid:
            wrote = ", task.toml written" if self.written else ""
            return (
                f"ok {self.id} ({self.runs} run{'s' if self.runs != 1 else ''}, "
                f"{len(self.fail_to_pass)} fail_to_pass, {len(self.pass_to_pass)} pass_to_pass, "
                f"{self.duration_s:.1f} s{wrote})"
            )
        return f"INVALID {self.id}: " + "; ".join(p.replace("\n", " ") for p in self.problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "valid": self.valid,
            "problems": list(self.problems),
            "fail_to_pass": list(self.fail_to_pass),
            "pass_to_pass": list(self.pass_to_pass),
            "duration_s": round(self.duration_s, 3),
            "written": self.written,
        }


def _names(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:MAX_NAMED])
    return shown + (f" and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else "")


def _infra_problem(label: str, grade: Grade) -> str | None:
    if grade.reason is None or grade.reason == "tests_failed":
        return None
    what = _INFRA_REASONS.get(grade.reason, grade.reason)
    code = "" if grade.exit_code is None else f", exit code {grade.exit_code}"
    return f"{label} {what} ({grade.reason}{code})"


def _outcomes(grade: Grade) -> dict[str, str]:
    return {test.id: test.outcome for test in grade.tests}


@dataclass
class Evidence:
    """What the sandbox runs showed, independent of the lists in task.toml."""

    reference: list[dict[str, str]] = field(default_factory=list)
    repo_only: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # reference-side and infra problems
    messages: dict[str, str] = field(default_factory=dict)  # first failure message per test
    reference_broke: bool = False  # a reference run timed out, crashed or wrote no report

    @property
    def known_ids(self) -> set[str]:
        ids: set[str] = set(self.repo_only)
        for run in self.reference:
            ids |= set(run)
        return ids

    def passes_with_reference(self, test_id: str) -> bool:
        return all(run.get(test_id) == "passed" for run in self.reference)

    def always_skipped(self, test_id: str) -> bool:
        return all(run.get(test_id) == "skipped" for run in self.reference)

    def computed_lists(self) -> tuple[list[str], list[str]]:
        """(fail_to_pass, pass_to_pass) as the runs define them, sorted."""
        passing = sorted(
            i for i in set[str]().union(*self.reference) if self.passes_with_reference(i)
        )
        fail = [i for i in passing if self.repo_only.get(i) != "passed"]
        keep = [i for i in passing if self.repo_only.get(i) == "passed"]
        return fail, keep


def assess(reference_runs: Sequence[Grade], repo_only: Grade) -> Evidence:
    """What the runs prove on their own (pure): reference failures, flakes, infra trouble.

    A test skipped on every reference run is neither a failure nor a candidate for the
    lists; a test that passes on some runs and not others is a flake.
    """
    evidence = Evidence(repo_only=_outcomes(repo_only))
    runs = len(reference_runs)
    for number, grade in enumerate(reference_runs, start=1):
        label = f"the reference (run {number}/{runs})" if runs > 1 else "the reference"
        infra = _infra_problem(label, grade)
        if infra:
            evidence.problems.append(infra)
            evidence.reference_broke = True
        evidence.reference.append(_outcomes(grade))
        for test in grade.tests:
            if test.outcome not in ("passed", "skipped") and test.message:
                evidence.messages.setdefault(test.id, test.message)

    seen = set[str]().union(*evidence.reference)
    if not seen:
        evidence.problems.append("the reference run's report lists no tests (at least one needed)")
    failing = sorted(
        i for i in seen if not evidence.passes_with_reference(i) and not evidence.always_skipped(i)
    )
    always_bad = [i for i in failing if not any(r.get(i) == "passed" for r in evidence.reference)]
    flaky = [i for i in failing if i not in always_bad]
    if always_bad:
        how = {evidence.reference[0].get(i, "missing") for i in always_bad}
        first = evidence.messages.get(always_bad[0], "")
        detail = f" (first: {' '.join(first.split())[:MAX_MESSAGE]})" if first else ""
        evidence.problems.append(
            f"the reference does not pass {plural(len(always_bad), 'test')} "
            f"({'/'.join(sorted(how))}): {_names(always_bad)}{detail}"
        )
    for test_id in flaky:
        passed = sum(run.get(test_id) == "passed" for run in evidence.reference)
        evidence.problems.append(
            f"flaky with the reference: {test_id} passed {passed} of {plural(runs, 'run')}"
        )
    return evidence


class Stopped(Exception):
    """Validation was asked to stop (Ctrl-C, or another task found the sandbox down)."""


def _gather(task: Task, backend: SandboxFactory, runs: int, stop: threading.Event) -> Evidence:
    from routr_cli.grading import grade_reference, grade_repo_only

    reference: list[Grade] = []
    for _ in range(runs):
        if stop.is_set():
            raise Stopped(task.id)
        reference.append(grade_reference(task, backend, raise_sandbox_errors=True))
    if stop.is_set():
        raise Stopped(task.id)
    return assess(reference, grade_repo_only(task, backend, raise_sandbox_errors=True))


def check_lists(task: Task, evidence: Evidence) -> list[str]:
    """The rules about task.toml's lists, judged against what the runs showed (pure)."""
    problems: list[str] = []
    f2p, p2p = list(task.grade.fail_to_pass), list(task.grade.pass_to_pass)
    if not f2p:
        computed_f2p, _ = evidence.computed_lists()
        if evidence.reference and not computed_f2p and not evidence.problems:
            problems.append(
                "fail_to_pass is empty and every test already passes on repo/ alone: "
                "the starting code needs no change (a refactoring exercise, or tests that "
                "miss the change), so there is nothing to grade"
            )
        elif evidence.problems:  # --write never writes what failing runs cannot vouch for
            problems.append(
                "fail_to_pass is empty (`--write` fills it once the reference passes every run)"
            )
        else:
            problems.append("fail_to_pass is empty (run `routr tasks validate --write` to fill it)")
    both = sorted(set(f2p) & set(p2p))
    if both:
        problems.append(f"listed in both fail_to_pass and pass_to_pass: {_names(both)}")
    known = evidence.known_ids
    unknown = sorted({i for i in f2p + p2p if i not in known})
    if unknown and not evidence.reference_broke:  # a broken run's report proves nothing
        problems.append(f"listed test id(s) not in the report: {_names(unknown)}")
    skipped = sorted({i for i in f2p + p2p if evidence.reference and evidence.always_skipped(i)})
    if skipped:
        problems.append(f"listed test(s) are skipped with the reference: {_names(skipped)}")
    already = sorted(i for i in f2p if evidence.repo_only.get(i) == "passed")
    if already:
        problems.append(f"fail_to_pass test(s) already pass on repo/ alone: {_names(already)}")
    broken = sorted(i for i in p2p if i in known and evidence.repo_only.get(i) != "passed")
    if broken:
        problems.append(
            f"pass_to_pass test(s) do not pass on repo/ alone (move them to fail_to_pass): "
            f"{_names(broken)}"
        )
    return problems


def validate_task(
    task: Task,
    backend: SandboxFactory,
    runs: int = 1,
    write: bool = False,
    stop: threading.Event | None = None,
) -> TaskValidation:
    """Run the reference ``runs`` times and ``repo/`` once, then check every rule.

    Raises ``SandboxUnavailable`` when the sandbox infrastructure is down, and
    ``Stopped`` when ``stop`` is set before a sandbox run; every other failure, an
    image with no recipe included, is a problem in the result.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    started = time.monotonic()
    leaked = describe_leaks(task_leaks(task))
    problems = [leaked] if leaked else []
    try:
        evidence = _gather(task, backend, runs, stop or threading.Event())
    except UnknownSandboxImage as exc:
        problems.append(f"task.toml: image: {exc}")
        return TaskValidation(task.id, tuple(problems), duration_s=time.monotonic() - started)
    problems.extend(evidence.problems)
    written = False
    fail, keep = evidence.computed_lists()
    # Never write what the runs cannot vouch for: a failing reference, or no test to fix.
    if write and not evidence.problems and fail:
        toml_path = task.path / "task.toml"
        try:
            written = write_test_lists(toml_path, fail, keep)
            task = load_task(task.path)
        except TaskFormatError as exc:
            problems.append(f"could not write the test lists: {exc}")
    problems.extend(check_lists(task, evidence))
    recorded = False
    if write:  # the record follows the verdict: written when valid, dropped when not
        toml_path = task.path / "task.toml"
        try:
            if problems:
                remove_record(toml_path)
            else:
                recorded = write_record(toml_path, load_task(task.path).content_hash, runs)
        except TaskFormatError as exc:
            problems.append(f"could not write the validation record: {exc}")
    return TaskValidation(
        id=task.id,
        problems=tuple(problems),
        fail_to_pass=task.grade.fail_to_pass,
        pass_to_pass=task.grade.pass_to_pass,
        runs=runs,
        duration_s=time.monotonic() - started,
        written=written or recorded,
    )


@dataclass(frozen=True)
class Candidate:
    """A task folder to validate: loaded, or the loader's one-line complaint."""

    name: str
    task: Task | None
    error: TaskFormatError | None = None


def collect_candidates(root: Path, ids: Sequence[str] | None = None) -> list[Candidate]:
    """Every task folder under ``root`` (or the ``ids`` given), malformed ones included."""
    folders = select_task_folders(root, ids)
    if not folders:
        raise ConfigError(f"{root}: no task folders to validate (pass --tasks DIR)")
    out: list[Candidate] = []
    for folder in folders:
        try:
            out.append(Candidate(folder.name, load_task(folder)))
        except TaskFormatError as exc:
            out.append(Candidate(folder.name, None, exc))
    return out


def worker_count(jobs: int) -> int:
    """``jobs`` capped at the CPU count: each validation keeps a sandbox busy."""
    return max(1, min(jobs, os.cpu_count() or 1))


def validate_candidates(
    candidates: Sequence[Candidate],
    backend: SandboxFactory,
    runs: int = 1,
    write: bool = False,
    jobs: int = 1,
) -> Iterator[TaskValidation]:
    """Validate in a thread pool of ``jobs`` (capped at the CPU count), yielding in order.

    A ``SandboxUnavailable`` from any task (or the caller stopping early, as on
    Ctrl-C) cancels the tasks not yet started, stops running ones before their next
    sandbox run, and propagates: with the infrastructure down, no verdict means anything.
    """
    workers = worker_count(jobs)
    stop = threading.Event()

    def one(candidate: Candidate) -> TaskValidation:
        if candidate.task is None:
            return TaskValidation(candidate.name, (str(candidate.error),))
        return validate_task(candidate.task, backend, runs=runs, write=write, stop=stop)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="validate") as pool:
        futures: list[Future[TaskValidation]] = [pool.submit(one, c) for c in candidates]
        try:
            for future in futures:
                yield future.result()
        finally:
            stop.set()
            for future in futures:
                future.cancel()
