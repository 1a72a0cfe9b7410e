"""The Beta-Binomial feedback update: bench as prior, call outcomes as evidence, floors."""

from __future__ import annotations

import pytest
from router_support import stat

from routr_cli.router.features import RequestFeatures
from routr_cli.router.feedback import PRIOR_FLOOR, posterior, with_feedback
from routr_cli.router.policy import Constraints, ModelInfo, RoutingTable, choose

MODELS = {
    "a/best": ModelInfo("a/best", "a", input_per_mtok=3, output_per_mtok=15),
    "b/next": ModelInfo("b/next", "b", input_per_mtok=1, output_per_mtok=4),
}
TABLE = RoutingTable(
    {
        "all": (
            stat("a/best", 0.80, 0.70, 0.88, 1),
            stat("b/next", 0.60, 0.48, 0.71, 2),
        )
    }
)
FEATURES = RequestFeatures({}, None, 100, 100)


def chosen(table: RoutingTable) -> str:
    decision = choose(FEATURES, table, MODELS, Constraints(), "auto")
    assert decision.chosen is not None
    return decision.chosen.model


def test_no_feedback_changes_nothing() -> None:
    s = stat("a/best", 0.8, 0.7, 0.88, 1)
    assert posterior(s, 0, 0) is s
    assert with_feedback(TABLE, {}) is TABLE


def test_one_outcome_moves_the_estimate_by_less_than_the_floor_allows() -> None:
    for n in (0, 1, 5, 40):
        s = stat("m", 0.8, 0.6, 0.9, 1, n=n)
        down = posterior(s, 0, 1)
        assert 0 < s.pass_rate - down.pass_rate <= 1 / (PRIOR_FLOOR + 1)
        assert down.ci_low <= down.pass_rate <= down.ci_high
        assert down.feedback == (0, 1)


def test_a_single_failure_does_not_flip_the_choice_but_a_pattern_does() -> None:
    assert chosen(TABLE) == "a/best"
    one = with_feedback(TABLE, {("a/best", "all"): (0, 1)})
    assert chosen(one) == "a/best"
    many = with_feedback(TABLE, {("a/best", "all"): (0, 30)})
    assert chosen(many) == "b/next"
    assert many.slice("all")[0].model == "b/next"  # re-sorted, best first


def test_extreme_bench_rates_and_floors_keep_the_arithmetic_finite() -> None:
    for rate in (0.0, 1.0):
        s = stat("m", rate, rate, rate, 1, n=0)
        for passes, fails in ((1, 0), (0, 1), (1000, 1000)):
            updated = posterior(s, passes, fails)
            assert 0.0 <= updated.pass_rate <= 1.0
            if passes and fails:
                assert 0.0 < updated.pass_rate < 1.0  # evidence both ways unpins a 0 or a 1
            assert 0.0 <= updated.ci_low <= updated.pass_rate <= updated.ci_high <= 1.0
    with pytest.raises(ValueError):
        posterior(stat("m", 0.5, 0.4, 0.6, 1), -1, 0)


def test_evidence_narrows_the_interval() -> None:
    s = stat("m", 0.5, 0.35, 0.65, 1, n=40)
    updated = posterior(s, 40, 40)
    assert updated.ci_high - updated.ci_low < s.ci_high - s.ci_low
    assert updated.pass_rate == pytest.approx(0.5)


def test_ties_are_revisited_for_models_with_feedback() -> None:
    tied = RoutingTable(
        {"all": (stat("a/best", 0.8, 0.7, 0.88, 1), stat("b/next", 0.78, 0.68, 0.86, 1))}
    )
    assert chosen(tied) == "b/next"  # tied and cheaper
    sunk = with_feedback(tied, {("b/next", "all"): (0, 40)})
    assert sunk.stat("b/next", "all").tie_group != 1  # type: ignore[union-attr]
    assert chosen(sunk) == "a/best"
