"""recommend: category standings with their uncertainty, constraints, fallback, reasons."""

from __future__ import annotations

import pytest
from ranking_testkit import row

from routr_cli.ranking import Constraints, attempt_frame_from_rows, classify, recommend, standings


def _board():  # type: ignore[no-untyped-def]
    rows = []
    skill = {  # model -> (concurrency rate, security rate, cost)
        "sim/race-expert": (0.95, 0.20, 0.02),
        "sim/generalist": (0.60, 0.60, 0.01),
        "cheap/tiny": (0.30, 0.30, 0.001),
        "other/secure": (0.10, 0.95, 0.03),
    }
    for model, (conc, sec, cost) in skill.items():
        for t in range(40):
            rows.append(row(model, f"c{t}", t < conc * 40, category="concurrency", cost_usd=cost))
            rows.append(row(model, f"s{t}", t < sec * 40, category="security", cost_usd=cost))
    return standings(attempt_frame_from_rows(rows), draws=500)


def test_recommend_scores_the_matched_category_and_gives_reasons() -> None:
    rec = recommend("fix a data race in a Go worker pool", _board())
    assert rec.categories == {"concurrency": 1.0} and rec.language == "go" and not rec.fallback
    names = [p.model for p in rec.recommendations]
    assert names[0] == "sim/race-expert" and len(names) == 3
    first = rec.recommendations[0]
    assert first.pass_rate == pytest.approx(0.95) and first.ci_low < 0.95 < first.ci_high
    assert any("in concurrency, n=40 tasks x 1 epoch" in r for r in first.reasons)
    assert "(simulated)" in first.reasons and any(r.startswith("P(top-3)") for r in first.reasons)
    assert not any(p.tied_with_first for p in rec.recommendations)


def test_constraints_apply_before_ranking() -> None:
    board = _board()
    rec = recommend("fix a data race", board, constraints=Constraints(exclude_providers=("sim",)))
    assert [p.model for p in rec.recommendations] == ["cheap/tiny", "other/secure"]
    assert {"model": "sim/generalist", "reason": "provider sim excluded"} in rec.excluded
    rec = recommend("fix a data race", board, constraints=Constraints(max_cost_per_solved=0.04))
    assert "sim/race-expert" in [p.model for p in rec.recommendations]
    assert "other/secure" not in [p.model for p in rec.recommendations]
    prices = {"sim/race-expert": 10.0, "sim/generalist": 1.0}
    rec = recommend(
        "fix a data race", board, constraints=Constraints(max_price_per_mtok=5.0), prices=prices
    )
    assert [p.model for p in rec.recommendations] == ["sim/generalist"]


def test_ties_with_the_first_are_said() -> None:
    rows = [
        row(m, f"c{t}", t % 2 == 0, category="concurrency")
        for m in ("sim/x", "sim/y")
        for t in range(20)
    ]
    rec = recommend(
        "deadlock in the thread pool", standings(attempt_frame_from_rows(rows), draws=300)
    )
    assert rec.recommendations[1].tied_with_first
    assert "statistically tied with #1" in rec.recommendations[1].reasons


def test_no_data_for_the_matched_category_falls_back_to_overall_and_says_so() -> None:
    board = _board()
    rec = recommend("the nightly CSV export totals are wrong", board)
    assert rec.fallback and "data-processing" in rec.categories
    assert any("ranked on overall standings" in n for n in rec.notes)
    assert all(any("fallback" in r for r in p.reasons) for p in rec.recommendations)
    nothing = recommend(classify("hello"), board)
    assert nothing.fallback and nothing.categories == {}
    data = nothing.as_json()
    assert set(data) >= {"categories", "language", "recommendations", "fallback"}


def test_the_language_slice_is_shown_when_the_board_has_it() -> None:
    rows = [
        row(m, f"t{t}", t < rate * 20, category="concurrency", language=("go", "python")[t % 2])
        for m, rate in (("sim/x", 0.8), ("sim/y", 0.4))
        for t in range(20)
    ]
    frame = attempt_frame_from_rows(rows)
    board = standings(frame, draws=300, languages=True)
    assert board.languages() == ["language:go", "language:python"]
    assert board.categories() == ["concurrency"]  # language slices are not categories
    rec = recommend("fix a data race in a Go worker pool", board)
    first = rec.recommendations[0]
    go = board.for_category("language:go")[0]
    assert first.model == go.model == "sim/x"
    assert f"on go tasks, n={go.n_tasks} tasks" in " ".join(first.reasons)
    assert any("pass rate on go tasks is shown" in n for n in rec.notes)
    plain = recommend("fix a data race in a Go worker pool", standings(frame, draws=300))
    assert any("no go tasks in these standings" in n for n in plain.notes)
