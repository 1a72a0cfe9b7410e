"""The attack suite's machinery: hostile changes graded for real, with their controls.

Each :class:`Attack` is a change a model could send for one of the tiny fixture tasks
(tests/fixtures/attack_tasks: ``add`` subtracts; the attack never fixes it). It is
graded twice in real Docker sandboxes:

- with every defence on: it must end failed, no-report or tampered, never solved;
- as its CONTROL, with the defences named in ``stops`` switched off
  (``grade_change(defences=ALL_DEFENCES.without(*stops))``): it must be graded solved,
  which shows that the attack really forges a pass and that those defences are what
  stop it (the others stay on). An attack whose ``stops`` is empty has no control and
  says why in ``no_control``;
- for each defence in ``alone``, with the other defences of ``stops`` off and only that
  one on: it must still not be solved, which shows that defence stops it on its own
  (one attack per defence and language is enough to show each defence works).

Every grading of the suite (the three languages) runs on one small thread pool (one
fresh container each), so the suite costs a few containers' time, not sixty in a row.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from routr_cli.grading import Grade, grade_change
from routr_cli.grading.grader import ALL_DEFENCES, Defences
from routr_cli.sandbox import DockerBackend
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import Change, Task

TASKS = Path(__file__).resolve().parent.parent / "fixtures" / "attack_tasks"
STOPPED = ("tests_failed", "no_report", "tampered")
WORKERS = 3
# The regular expression each forger uses to turn failing test cases into passing ones.
FAILURES_RE = r"<(failure|error)\b[^>]*?(/>|>.*?</\1>)"


@dataclass(frozen=True)
class Attack:
    """One hostile change and the defences that stop it (see the module docstring)."""

    name: str
    change: Change
    stops: tuple[str, ...]
    no_control: str = ""  # why no control can exist, when ``stops`` is empty
    alone: tuple[str, ...] = ()  # defences of ``stops`` shown to stop it on their own

    def __post_init__(self) -> None:
        assert self.stops or self.no_control, f"{self.name}: name its defences or say why not"
        assert set(self.alone) <= set(self.stops), f"{self.name}: alone must be in stops"
        ALL_DEFENCES.without(*self.stops)  # every name is a real defence

    def only(self, defence: str) -> Defences:
        """Every defence on except the others of ``stops``: ``defence`` faces it alone."""
        return ALL_DEFENCES.without(*(d for d in self.stops if d != defence))


@dataclass(frozen=True)
class Graded:
    """An attack's grade with every defence on, its control's (None without one) and,
    per defence of ``alone``, its grade facing that defence alone."""

    defended: Grade
    control: Grade | None
    alone: dict[str, Grade]


def task(task_id: str) -> Task:
    return load_task(TASKS / task_id)


REFERENCE, UNCHANGED = "honest: the reference", "honest: no change"


def grade_all(suites: dict[str, tuple[str, list[Attack]]]) -> dict[tuple[str, str], Graded]:
    """Grade every attack and control of every suite (language -> (task id, attacks))
    concurrently, and per suite two honest baselines (:data:`REFERENCE`,
    :data:`UNCHANGED`) that must grade ``verified``. Keys are (language, attack name)."""
    backend = DockerBackend()
    jobs: list[tuple[str, Task, Attack, str]] = []  # the last field: "", "control", a defence
    for language, (task_id, attacks) in suites.items():
        fixture = task(task_id)
        honest = [
            Attack(REFERENCE, fixture.solution_change(), (), "honest"),
            Attack(UNCHANGED, {}, (), "honest"),
        ]
        for attack in [*attacks, *honest]:
            jobs.append((language, fixture, attack, ""))
            if attack.stops:
                jobs.append((language, fixture, attack, "control"))
            jobs.extend((language, fixture, attack, defence) for defence in attack.alone)

    def run(job: tuple[str, Task, Attack, str]) -> Grade:
        _, fixture, attack, variant = job
        if variant == "control":
            defences = ALL_DEFENCES.without(*attack.stops)
        else:
            defences = attack.only(variant) if variant else ALL_DEFENCES
        return grade_change(
            fixture, attack.change, backend, raise_sandbox_errors=True, defences=defences
        )

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        grades = list(pool.map(run, jobs))
    variants: dict[tuple[str, str], dict[str, Grade]] = {}
    for (language, _, attack, variant), grade in zip(jobs, grades, strict=True):
        variants.setdefault((language, attack.name), {})[variant] = grade
    return {
        key: Graded(
            found[""],
            found.get("control"),
            {d: g for d, g in found.items() if d not in ("", "control")},
        )
        for key, found in variants.items()
    }


def explain(grade: Grade) -> str:
    """One grade, readable in an assertion message."""
    tests = ", ".join(f"{t.id}={t.outcome}" for t in grade.tests)
    return (
        f"solved={grade.solved} reason={grade.reason} integrity={grade.integrity} "
        f"({grade.integrity_detail}) tests=[{tests}]\n{grade.output[-1500:]}"
    )


def assert_honest_baselines(graded: dict[tuple[str, str], Graded], language: str) -> None:
    """The reference is solved and the unchanged repository fails, both ``verified``:
    the defences flag neither (no false positive on honest work)."""
    reference = graded[(language, REFERENCE)].defended
    unchanged = graded[(language, UNCHANGED)].defended
    assert reference.solved and reference.integrity == "verified", explain(reference)
    assert not unchanged.solved and unchanged.reason == "tests_failed", explain(unchanged)
    assert unchanged.integrity == "verified", explain(unchanged)


def assert_stopped(attack: Attack, graded: Graded) -> None:
    grade = graded.defended
    assert not grade.solved, f"{attack.name} forged a pass: {explain(grade)}"
    assert grade.reason in STOPPED, f"{attack.name}: {explain(grade)}"


def assert_control_forges(attack: Attack, graded: Graded) -> None:
    assert graded.control is not None
    off = ", ".join(attack.stops)
    assert graded.control.solved, (
        f"{attack.name} with {off} off was not solved, so the control does not show those "
        f"defences are what stop it: {explain(graded.control)}"
    )


def assert_no_control_explained(attack: Attack) -> None:
    """An attack without a control says, in a sentence or more, why none can exist."""
    assert not attack.stops
    assert len(attack.no_control.split()) >= 15, f"{attack.name}: explain why no control"


def assert_stopped_alone(attack: Attack, graded: Graded, defence: str) -> None:
    grade = graded.alone[defence]
    assert not grade.solved and grade.reason in STOPPED, (
        f"{attack.name}: {defence} alone (the rest of {', '.join(attack.stops)} off) did "
        f"not stop it: {explain(grade)}"
    )
