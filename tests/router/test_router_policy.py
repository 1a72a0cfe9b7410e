"""The routing policy as pure functions over a small Standing-shaped table."""

from __future__ import annotations

from router_support import stat

from routr_cli.router.features import RequestFeatures
from routr_cli.router.policy import (
    Constraints,
    ModelInfo,
    RoutingTable,
    choose,
    parse_objective,
)

MODELS = {
    "a/strong": ModelInfo(
        "a/strong", "a", input_per_mtok=3, output_per_mtok=15, context_window=200_000
    ),
    "b/tied": ModelInfo("b/tied", "b", input_per_mtok=1, output_per_mtok=4, context_window=32_000),
    "a/cheap": ModelInfo(
        "a/cheap", "a", input_per_mtok=0.1, output_per_mtok=0.4, context_window=32_000
    ),
    "c/mid": ModelInfo(
        "c/mid", "c", input_per_mtok=0.8, output_per_mtok=3.2, context_window=128_000, zdr=True
    ),
}
TABLE = RoutingTable(
    {
        "all": (
            stat("a/strong", 0.85, 0.75, 0.92, 1, p50=9.0),
            stat("b/tied", 0.80, 0.70, 0.88, 1, p50=3.0),
            stat("c/mid", 0.70, 0.58, 0.80, 2, p50=1.0),
            stat("a/cheap", 0.45, 0.33, 0.57, 3, p50=2.0),
        ),
        "concurrency": (
            stat("a/strong", 0.80, 0.60, 0.92, 1, category="concurrency"),
            stat("c/mid", 0.50, 0.30, 0.70, 2, category="concurrency"),
            stat("b/tied", 0.45, 0.28, 0.64, 2, category="concurrency"),
            stat("a/cheap", 0.25, 0.10, 0.45, 3, category="concurrency"),
        ),
        "data-processing": (
            stat("a/strong", 0.90, 0.75, 0.97, 1, category="data-processing"),
            stat("b/tied", 0.88, 0.72, 0.96, 1, category="data-processing"),
            stat("c/mid", 0.75, 0.55, 0.88, 1, category="data-processing"),
            stat("a/cheap", 0.50, 0.30, 0.70, 2, category="data-processing"),
        ),
    }
)


def feats(
    category: str | None = None, tokens: int = 500, needs: frozenset[str] = frozenset()
) -> RequestFeatures:
    cats = {category: 1.0} if category else {}
    return RequestFeatures(cats, None, tokens, 500, needs)


def test_auto_takes_the_cheapest_of_those_tied_with_the_best() -> None:
    d = choose(feats(), TABLE, MODELS, Constraints(), "auto")
    assert d.category == "all" and d.chosen is not None
    assert d.chosen.model == "b/tied"  # tied with a/strong, and cheaper
    assert "cheapest of 2 models statistically tied" in d.chosen.reasons[0]
    assert [c.model for c in d.candidates] == ["b/tied", "a/strong", "c/mid", "a/cheap"]


def test_category_decides_the_slice_and_the_choice() -> None:
    conc = choose(feats("concurrency"), TABLE, MODELS, Constraints(), "auto")
    data = choose(feats("data-processing"), TABLE, MODELS, Constraints(), "auto")
    assert conc.category == "concurrency" and conc.chosen and conc.chosen.model == "a/strong"
    assert "not tied" in conc.chosen.reasons[0]
    assert data.chosen and data.chosen.model == "c/mid"  # three tied: the cheapest
    assert "in data-processing" in data.chosen.reasons[1]


def test_no_dominant_category_uses_the_overall_slice() -> None:
    mixed = RequestFeatures({"concurrency": 0.4, "bugfix": 0.35, "feature": 0.25}, None, 10)
    assert choose(mixed, TABLE, MODELS, Constraints(), "auto").category == "all"
    unknown = RequestFeatures({"no-such": 1.0}, None, 10)
    assert choose(unknown, TABLE, MODELS, Constraints(), "auto").category == "all"


def test_auto_fast_is_the_lowest_latency_among_the_tied() -> None:
    d = choose(feats(), TABLE, MODELS, Constraints(), "auto:fast")
    assert d.chosen and d.chosen.model == "b/tied"  # c/mid is faster but not tied


def test_auto_cheap_respects_the_margin_and_the_evidence() -> None:
    narrow = choose(feats(), TABLE, MODELS, Constraints(cheap_margin=0.05), "auto:cheap")
    assert narrow.chosen and narrow.chosen.model == "b/tied"
    wide = choose(feats(), TABLE, MODELS, Constraints(cheap_margin=0.2), "auto:cheap")
    assert wide.chosen and wide.chosen.model == "c/mid"  # within 20 points, interval reaches
    everything = choose(feats(), TABLE, MODELS, Constraints(cheap_margin=0.5), "auto:cheap")
    # a/cheap is within the margin on its point estimate, but its interval (33-57%)
    # does not reach the best's (75-92%): the evidence says it is worse by more
    assert everything.chosen and everything.chosen.model == "c/mid"


def test_constraints_drop_models_with_a_reason() -> None:
    d = choose(feats(), TABLE, MODELS, Constraints(max_output_per_mtok=5), "auto")
    assert d.chosen and d.chosen.model == "b/tied"
    assert ("a/strong", "output $15/M over the $5/M ceiling") in d.rejected
    z = choose(feats(), TABLE, MODELS, Constraints(zdr=True), "auto")
    assert [c.model for c in z.candidates] == ["c/mid"]
    assert len(z.rejected) == 3 and all("zdr" in why for _, why in z.rejected)
    deny = choose(feats(), TABLE, MODELS, Constraints(exclude_providers=("b",)), "auto")
    assert deny.chosen and deny.chosen.model == "a/strong"
    allow = choose(feats(), TABLE, MODELS, Constraints(providers=("a",)), "auto")
    assert {c.provider for c in allow.candidates} == {"a"}
    floor = choose(feats(), TABLE, MODELS, Constraints(min_pass_rate=0.75), "auto")
    assert {c.model for c in floor.candidates} == {"a/strong", "b/tied"}
    slow = choose(feats(), TABLE, MODELS, Constraints(max_latency_s=5), "auto")
    assert "a/strong" not in {c.model for c in slow.candidates}


def test_a_context_window_too_small_drops_the_model() -> None:
    d = choose(feats(tokens=60_000), TABLE, MODELS, Constraints(), "auto")
    assert d.chosen and d.chosen.model == "a/strong"
    assert any(m == "b/tied" and "context window 32000" in why for m, why in d.rejected)


def test_capabilities_the_catalog_denies_drop_the_model() -> None:
    models = dict(MODELS)
    models["b/tied"] = ModelInfo("b/tied", "b", 1, 4, 32_000, capabilities=frozenset({"streaming"}))
    d = choose(feats(needs=frozenset({"tools"})), TABLE, models, Constraints(), "auto")
    assert d.chosen and d.chosen.model == "a/strong"  # b/tied cannot do tools
    assert ("b/tied", "does not support tools") in d.rejected


def test_fallbacks_prefer_another_provider() -> None:
    d = choose(feats("concurrency"), TABLE, MODELS, Constraints(), "auto")
    providers = [c.provider for c in d.candidates]
    assert providers[0] == "a" and providers[1] != "a"  # a/cheap (same vendor) goes last
    assert [c.model for c in d.candidates] == ["a/strong", "c/mid", "b/tied", "a/cheap"]


def test_an_explicit_list_is_the_chain_in_order() -> None:
    assert parse_objective("a/cheap, c/mid") == ("a/cheap", "c/mid")
    d = choose(feats(), TABLE, MODELS, Constraints(), parse_objective("a/cheap,c/mid,x/unknown"))
    assert [c.model for c in d.candidates] == ["a/cheap", "c/mid", "x/unknown"]
    assert d.candidates[2].pass_rate is None and "no bench results" in d.candidates[2].reasons[1]
    z = choose(feats(), TABLE, MODELS, Constraints(zdr=True), parse_objective("a/cheap,c/mid"))
    assert [c.model for c in z.candidates] == ["c/mid"]


def test_nothing_eligible_is_an_empty_decision_with_reasons() -> None:
    d = choose(feats(), TABLE, MODELS, Constraints(max_input_per_mtok=0.01), "auto")
    assert d.chosen is None and len(d.rejected) == 4


def test_expected_cost_is_priced_for_this_request() -> None:
    d = choose(feats(tokens=1000), TABLE, MODELS, Constraints(), "auto")
    assert d.chosen and d.chosen.expected_cost_usd == (1000 * 1 + 500 * 4) / 1e6
