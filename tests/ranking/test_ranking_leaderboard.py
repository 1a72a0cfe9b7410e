from __future__ import annotations

from typing import Any

import pytest

from routr_cli.ranking import ALL, rank, wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (1, 1, 0.2065, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_interval_matches_published_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    got_low, got_high = wilson_interval(successes, trials)
    assert got_low == pytest.approx(low, abs=5e-4)
    assert got_high == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize("trials", [1, 3, 7, 10, 13, 27, 100, 263])
def test_wilson_bounds_are_exact_at_zero_and_all_successes(trials: int) -> None:
    # Without exact edges 0/3 gave ci_low 5.6e-17 and 10/10 gave ci_high 0.9999999999999999.
    low, high = wilson_interval(0, trials)
    assert low == 0.0 and 0.0 < high < 1.0
    low, high = wilson_interval(trials, trials)
    assert high == 1.0 and 0.0 < low < 1.0
    for successes in range(trials + 1):  # symmetric: k of n mirrors n - k of n
        low, high = wilson_interval(successes, trials)
        mirror_low, mirror_high = wilson_interval(trials - successes, trials)
        assert high == pytest.approx(1 - mirror_low, abs=1e-12)
        assert low == pytest.approx(1 - mirror_high, abs=1e-12)
        assert 0.0 <= low <= successes / trials <= high <= 1.0


def test_wilson_with_no_trials_is_the_whole_range() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def _row(model: str, category: str, solved: bool, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict(
        model=model, category=category, status="solved" if solved else "failed", solved=solved,
        simulated=model.startswith("sim/"), cost_usd=0.01, latency_s=2.0, input_tokens=100,
        output_tokens=10,
    )  # fmt: skip
    row.update(kw)
    return row


def test_rank_groups_overall_and_per_category_and_sorts_by_pass_rate() -> None:
    rows = [
        _row("sim/weak", "bugfix", False),
        _row("sim/weak", "bugfix", True, latency_s=4.0),
        _row("sim/weak", "feature", False),
        _row("sim/strong", "bugfix", True),
        _row("sim/strong", "feature", True),
        _row("sim/strong", "feature", False, status="provider_error", cost_usd=0.0),
        _row("real/unpriced", "bugfix", True, cost_usd=None),
    ]
    board = rank(rows)
    overall = board.for_category(ALL)
    assert [s.model for s in overall] == ["sim/strong", "real/unpriced", "sim/weak"]
    strong, unpriced, weak = overall
    assert (strong.attempts, strong.solved, strong.provider_errors) == (2, 2, 1)
    assert strong.pass_rate == 1.0
    assert strong.cost_per_solved == pytest.approx(0.01)  # 0.02 total / 2 solved
    assert strong.simulated and not unpriced.simulated
    assert unpriced.cost_per_solved is None  # never a guessed cost
    assert weak.pass_rate == pytest.approx(1 / 3)
    assert weak.cost_per_solved == pytest.approx(0.03)
    assert weak.median_latency_s == 2.0
    assert weak.total_tokens == 330
    assert (weak.ci_low, weak.ci_high) == pytest.approx(wilson_interval(1, 3))
    assert board.categories() == ["bugfix", "feature"]
    feature = {s.model: s for s in board.for_category("feature")}
    assert feature["sim/weak"].pass_rate == 0.0 and feature["sim/weak"].cost_per_solved is None
    assert "real/unpriced" not in feature


def test_ties_break_on_evidence_then_cost() -> None:
    rows = [_row("a/few", "x", True)] + [_row("b/many", "x", True)] * 5
    rows += [_row("c/pricey", "x", True, cost_usd=0.5)] * 5
    order = [s.model for s in rank(rows).for_category(ALL)]
    assert order == ["b/many", "c/pricey", "a/few"]


def test_json_shape_has_the_documented_fields() -> None:
    data = rank([_row("sim/x", "bugfix", True)]).for_category(ALL)[0].as_json()
    for key in ("model", "category", "attempts", "pass_rate", "ci_low", "ci_high",
                "cost_per_solved", "median_latency_s", "simulated"):  # fmt: skip
        assert key in data
