"""Paired comparisons on shared tasks: known answers, verdicts, and compare_all with BH."""

from __future__ import annotations

import pytest
from ranking_testkit import frame_from_outcomes, row, simulated_frame

from routr_cli.errors import ConfigError
from routr_cli.ranking import attempt_frame_from_rows, compare, compare_all
from routr_cli.ranking.stats import mcnemar_exact


def test_one_epoch_uses_exact_mcnemar_on_discordant_tasks() -> None:
    # 9 tasks only A solves, 1 only B solves, 10 both, 10 neither.
    a = [1] * 9 + [0] + [1] * 10 + [0] * 10
    b = [0] * 9 + [1] + [1] * 10 + [0] * 10
    c = compare(frame_from_outcomes({"sim/a": a, "sim/b": b}), "sim/a", "sim/b", draws=2000)
    assert (c.n_shared, c.wins, c.ties, c.losses) == (30, 9, 20, 1)
    assert c.test == "mcnemar-exact" and c.p_value == pytest.approx(22 / 1024)
    assert c.diff == pytest.approx(8 / 30)
    assert 0 < c.diff_ci_low < c.diff < c.diff_ci_high  # type: ignore[operator]
    assert c.winner == "sim/a" and c.verdict.startswith("sim/a is better than sim/b")
    assert len(c.only_a) == 9 and len(c.only_b) == 1 and len(c.both) == 10 and len(c.neither) == 10
    swapped = compare(frame_from_outcomes({"sim/a": a, "sim/b": b}), "sim/b", "sim/a", draws=2000)
    assert swapped.winner == "sim/a" and swapped.diff == pytest.approx(-8 / 30)
    # The sentence states the winner's lead with its interval, both positive.
    lead = f"[{-swapped.diff_ci_high * 100:+.1f}, {-swapped.diff_ci_low * 100:+.1f}]"  # type: ignore[operator]
    assert swapped.verdict.startswith(f"sim/a is better than sim/b by 26.7 points {lead}")
    # Reading it the other way round is relabelling: the same figures as comparing B with A
    # (the verdict sentence, said from the caller's order, aside), and twice is the original.
    flipped = c.flipped()
    assert (flipped.a, flipped.wins, flipped.losses) == ("sim/b", c.losses, c.wins)
    assert flipped.pass_a == c.pass_b and flipped.diff == pytest.approx(-c.diff)  # type: ignore[operator]
    assert (flipped.only_a, flipped.only_b) == (c.only_b, c.only_a)
    assert flipped.flipped() == c


def test_several_epochs_use_a_sign_flip_test_and_never_count_epochs_as_tasks() -> None:
    frame = simulated_frame({"sim/a": 0.75, "sim/b": 0.45}, tasks=60, epochs=4, seed=2)
    c = compare(frame, "sim/a", "sim/b", draws=2000)
    assert c.test == "sign-flip" and c.n_shared == 60 and c.epochs == 4
    assert c.p_value < 0.01 and c.winner == "sim/a"  # type: ignore[operator]


def test_noise_is_not_a_winner_and_says_how_many_tasks_are_needed() -> None:
    a = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    b = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0]
    c = compare(frame_from_outcomes({"sim/a": a, "sim/b": b}), "sim/a", "sim/b")
    assert c.winner is None and c.p_value == pytest.approx(mcnemar_exact(2, 1))
    assert c.verdict.startswith("cannot tell yet: about") and c.tasks_needed > c.n_shared  # type: ignore[operator]
    assert c.mde > abs(c.diff)  # type: ignore[operator]


def test_identical_models_are_practically_equivalent() -> None:
    same = [1, 0] * 100
    c = compare(frame_from_outcomes({"sim/a": same, "sim/b": same}), "sim/a", "sim/b")
    assert c.winner is None and c.verdict.startswith("practically equivalent within +/-5 points")


def test_only_shared_tasks_are_compared() -> None:
    rows = [row("sim/a", f"t{t}", True) for t in range(10)]
    rows += [row("sim/b", f"t{t}", True) for t in range(4)]  # b never saw t4..t9
    c = compare(attempt_frame_from_rows(rows), "sim/a", "sim/b")
    assert c.n_shared == 4 and c.diff == 0.0 and c.pass_a == 1.0


def test_ratios_category_and_errors() -> None:
    rows = [row("sim/a", f"t{t}", True, cost_usd=0.02, latency_s=4.0) for t in range(6)]
    rows += [row("sim/b", f"t{t}", t < 3, cost_usd=0.01, latency_s=1.0) for t in range(6)]
    frame = attempt_frame_from_rows(rows)
    c = compare(frame, "sim/a", "sim/b")
    assert c.cost_ratio == pytest.approx((0.12 / 6) / (0.06 / 3))
    assert c.latency_ratio == pytest.approx(4.0)
    assert compare(frame, "sim/a", "sim/b", category="BUGFIX").category == "bugfix"
    with pytest.raises(ConfigError, match="did you mean sim/b"):
        compare(frame, "sim/a", "sim/bb")
    with pytest.raises(ConfigError, match="unknown category 'nosuch'"):
        compare(frame, "sim/a", "sim/b", category="nosuch")


def test_compare_all_covers_every_pair_and_slice_with_bh_q_values() -> None:
    frame = simulated_frame({"sim/a": 0.9, "sim/b": 0.5, "sim/c": 0.48}, tasks=90, seed=4)
    results = compare_all(frame, draws=500)
    assert len(results) == 3 * 4  # 3 pairs x (all + 3 categories)
    assert {(c.a, c.b) for c in results} == {
        ("sim/a", "sim/b"),
        ("sim/a", "sim/c"),
        ("sim/b", "sim/c"),
    }
    for c in results:
        assert c.q_value is not None and c.q_value >= c.p_value - 1e-12  # type: ignore[operator]
    overall = {(c.a, c.b): c for c in results if c.category == "all"}
    assert overall[("sim/a", "sim/b")].winner == "sim/a"
    assert overall[("sim/b", "sim/c")].winner is None
