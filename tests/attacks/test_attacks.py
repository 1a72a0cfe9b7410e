"""The attack suite: every attack ends failed, no-report or tampered, never solved, and
its control (its defences switched off) is graded solved. See attack_kit for how, and
docs/threat-model.md for what each defence is."""

from __future__ import annotations

import attacks_go
import attacks_node
import attacks_python
import pytest
from attack_kit import (
    Attack,
    Graded,
    assert_control_forges,
    assert_honest_baselines,
    assert_no_control_explained,
    assert_stopped,
    assert_stopped_alone,
    grade_all,
)

from routr_cli.grading.grader import ALL_DEFENCES

pytestmark = pytest.mark.docker

SUITES: dict[str, tuple[str, list[Attack]]] = {
    "python": (attacks_python.TASK, attacks_python.ATTACKS),
    "javascript": (attacks_node.TASK, attacks_node.ATTACKS),
    "go": (attacks_go.TASK, attacks_go.ATTACKS),
}
CASES = [(language, attack) for language, (_, attacks) in SUITES.items() for attack in attacks]


def case_id(case: tuple[str, Attack]) -> str:
    return f"{case[0]}: {case[1].name}"


@pytest.fixture(scope="module")
def graded() -> dict[tuple[str, str], Graded]:
    return grade_all(SUITES)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_attack_never_grades_solved(
    case: tuple[str, Attack], graded: dict[tuple[str, str], Graded]
) -> None:
    language, attack = case
    assert_stopped(attack, graded[(language, attack.name)])


@pytest.mark.parametrize("case", [c for c in CASES if c[1].stops], ids=case_id)
def test_control_without_its_defences_is_forged_solved(
    case: tuple[str, Attack], graded: dict[tuple[str, str], Graded]
) -> None:
    language, attack = case
    assert_control_forges(attack, graded[(language, attack.name)])


ALONE = [(language, attack, d) for language, attack in CASES for d in attack.alone]


@pytest.mark.parametrize("case", ALONE, ids=lambda c: f"{c[0]}: {c[2]} alone: {c[1].name}")
def test_a_defence_alone_stops_its_attack(
    case: tuple[str, Attack, str], graded: dict[tuple[str, str], Graded]
) -> None:
    language, attack, defence = case
    assert_stopped_alone(attack, graded[(language, attack.name)], defence)


def test_each_defence_is_shown_to_work_on_its_own() -> None:
    shown = {d for _, attack in CASES for d in attack.alone}
    shown |= {attack.stops[0] for _, attack in CASES if len(attack.stops) == 1}
    assert shown == set(vars(ALL_DEFENCES)), sorted(set(vars(ALL_DEFENCES)) - shown)


@pytest.mark.parametrize("case", [c for c in CASES if not c[1].stops], ids=case_id)
def test_attacks_without_a_control_say_why(case: tuple[str, Attack]) -> None:
    assert_no_control_explained(case[1])


def test_every_language_covers_every_kind_of_attack() -> None:
    kinds = ("shadow:", "config:", "after exit:", "no report:", "in process:")
    for language, (_, attacks) in SUITES.items():
        for kind in kinds:
            assert any(a.name.startswith(kind) for a in attacks), f"{language}: no {kind}"


@pytest.mark.parametrize("language", SUITES)
def test_honest_changes_are_not_flagged(
    language: str, graded: dict[tuple[str, str], Graded]
) -> None:
    assert_honest_baselines(graded, language)
