"""Minimum detectable effect and tasks needed at the level a verdict was decided at.

``compare`` decides at p (one test at 0.05); ``compare_all`` decides at the
Benjamini-Hochberg q, so its power figures use the per-test level BH gave the comparison
(``alpha * p / q``). The sentence's "about N more shared tasks" and the table's
``tasks_needed`` must agree: N = tasks_needed - n_shared.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest
from ranking_testkit import frame_from_outcomes, row

from routr_cli.ranking import Comparison, attempt_frame_from_rows, compare, compare_all
from routr_cli.ranking.comparisons import ALPHA, _with_q
from routr_cli.ranking.stats import (
    Z_80,
    Z_95,
    benjamini_hochberg,
    bh_per_test_level,
    two_sided_z,
)

A_WINS_7_OF_16 = [1] * 7 + [0] * 5 + [1] * 4  # A solves 7 tasks B fails, B none A fails
B_ON_16 = [0] * 7 + [0] * 5 + [1] * 4


def _more(verdict: str) -> int | None:
    """N in "about N more shared task(s) needed", None when the sentence has no count."""
    found = re.search(r"about (\d+) more shared tasks? needed", verdict)
    return None if found is None else int(found.group(1))


def _strong_pair_in_a_large_family() -> tuple[Comparison, Comparison]:
    """A beats B on 16 shared tasks at p = 0.0156; nine clones of B make the family 220
    comparisons (55 pairs x 4 slices), so the BH q of A vs B is far above 0.05."""
    outcomes = {"sim/a": A_WINS_7_OF_16, "sim/b": B_ON_16}
    outcomes.update({f"sim/clone{j}": B_ON_16 for j in range(9)})
    frame = frame_from_outcomes(outcomes)
    single = compare(frame, "sim/a", "sim/b")
    family = compare_all(frame, draws=300)
    adjusted = next(c for c in family if (c.a, c.b, c.category) == ("sim/a", "sim/b", "all"))
    return single, adjusted


def test_a_verdict_at_q_counts_tasks_at_the_adjusted_level_and_the_sentence_agrees() -> None:
    single, adjusted = _strong_pair_in_a_large_family()
    n = adjusted.n_shared
    assert n == 16 and adjusted.p_value == single.p_value == pytest.approx(2 / 2**7)
    assert adjusted.q_value is not None and adjusted.q_value > 0.3  # p small, q large
    assert adjusted.winner is None
    # The figures at the level BH held this comparison to, from the single-test se.
    level = bh_per_test_level(adjusted.p_value, adjusted.q_value, ALPHA, 220)
    assert level == pytest.approx(ALPHA * adjusted.p_value / adjusted.q_value)
    assert adjusted.p_value >= level  # not significant at that level, as q >= 0.05 says
    se = single.mde / (Z_95 + Z_80)  # type: ignore[operator]
    mde = (two_sided_z(level) + Z_80) * se
    assert adjusted.mde == pytest.approx(mde) and adjusted.mde > single.mde  # type: ignore[operator]
    assert adjusted.tasks_needed == math.ceil(n * (mde / abs(adjusted.diff)) ** 2)  # type: ignore[arg-type]
    # Not decided at q, so more tasks than n are needed, and the sentence says how many.
    assert adjusted.tasks_needed > n  # type: ignore[operator]
    assert _more(adjusted.verdict) == adjusted.tasks_needed - n  # type: ignore[operator]
    assert "q=0.3" in adjusted.verdict


def test_control_the_single_test_figures_contradict_a_verdict_at_q() -> None:
    # What compare_all carried before: the single-test tasks_needed (11) is within the
    # 16 shared tasks, yet the pair is not significant at q -- "about 1 more shared task"
    # (the old clamp of needed - n = -5) beside "Tasks needed: 11" on the same page.
    single, adjusted = _strong_pair_in_a_large_family()
    assert single.winner == "sim/a"  # decided at p, the single-test figures fit
    assert single.tasks_needed is not None and single.tasks_needed <= single.n_shared
    assert adjusted.q_value is not None and adjusted.q_value >= ALPHA
    stale = replace(adjusted, mde=single.mde, tasks_needed=single.tasks_needed)
    assert stale.tasks_needed - stale.n_shared <= 0  # type: ignore[operator]
    assert _more(adjusted.verdict) != 1


def test_the_reported_pair_p_0008_q_0459_on_16_tasks() -> None:
    # The built site's thin pair page: p=0.008, BH q=0.459, 16 shared tasks.
    a = [1] * 8 + [0] * 4 + [1] * 4
    b = [0] * 8 + [0] * 4 + [1] * 4
    single = compare(frame_from_outcomes({"sim/a": a, "sim/b": b}), "sim/a", "sim/b")
    assert single.p_value == pytest.approx(0.0078125) and single.tasks_needed == 8
    at_q = _with_q(single, 0.459, 57)
    assert at_q.q_value == 0.459 and at_q.winner is None
    assert at_q.tasks_needed is not None and at_q.tasks_needed > 16
    assert _more(at_q.verdict) == at_q.tasks_needed - 16
    assert at_q.verdict.endswith("on 16, q=0.459)")
    # Everything else about the comparison is untouched.
    untouched = ("p_value", "diff", "diff_ci_low", "diff_ci_high", "wins", "losses", "pass_a")
    assert all(getattr(at_q, k) == getattr(single, k) for k in untouched)


def test_a_family_of_one_test_keeps_the_single_test_figures_bit_for_bit() -> None:
    # Every task in one category: the family is {all, bugfix}, the same test twice, so
    # BH gives q == p and the level is 0.05 itself.
    a = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1]
    b = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1]
    rows = [
        row(m, f"t{t:02d}", bool(v))
        for m, vs in (("sim/a", a), ("sim/b", b))
        for t, v in enumerate(vs)
    ]
    frame = attempt_frame_from_rows(rows)
    single = compare(frame, "sim/a", "sim/b")
    family = compare_all(frame, draws=300)
    assert len(family) == 2
    for c in family:
        assert c.q_value == c.p_value == single.p_value
        assert (c.mde, c.tasks_needed) == (single.mde, single.tasks_needed)
    assert single.tasks_needed is not None and single.tasks_needed > single.n_shared
    assert _more(single.verdict) == single.tasks_needed - single.n_shared


def test_enough_tasks_by_the_arithmetic_but_not_significant_says_so() -> None:
    # A solves all 4 tasks, B none: the normal-approximation arithmetic says 2 tasks
    # would do, but the exact McNemar p is 0.125 on 4 discordant tasks.
    c = compare(frame_from_outcomes({"sim/a": [1] * 4, "sim/b": [0] * 4}), "sim/a", "sim/b")
    assert c.p_value == pytest.approx(0.125) and c.winner is None
    # Control: the count is within n, so no "N more tasks" sentence can match it.
    assert c.tasks_needed is not None and c.tasks_needed <= c.n_shared
    assert c.verdict.startswith("cannot tell yet: not significant (difference +100.0")
    assert _more(c.verdict) is None
    at_q = _with_q(c, 0.125, 1)  # a family of one: same figures, said at q
    assert at_q.tasks_needed == c.tasks_needed
    assert at_q.verdict.startswith(
        "cannot tell yet: not significant after adjusting for 1 comparison "
    )


def test_the_bh_level_is_between_bonferroni_and_alpha_and_decides_as_q_does() -> None:
    rng = np.random.default_rng(7)
    p_values = [*rng.uniform(0, 0.02, 30).tolist(), *rng.uniform(0, 1, 170).tolist()]
    q_values = benjamini_hochberg(p_values)
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    for rank, i in enumerate(order, start=1):
        p, q = p_values[i], q_values[i]
        level = bh_per_test_level(p, q, ALPHA, m)
        assert ALPHA / m <= level <= ALPHA
        assert (p < level) == (q < ALPHA)
        if q == pytest.approx(p * m / rank):  # the step-up minimum does not bind here
            assert level == pytest.approx(ALPHA * rank / m)
    assert bh_per_test_level(0.0, 0.0, ALPHA, 200) == ALPHA / 200  # p == 0: the strictest
    assert bh_per_test_level(0.01, 0.01, ALPHA, 1) == ALPHA  # a family of one
    assert bh_per_test_level(0.02, 0.0199999, ALPHA, 3) == ALPHA  # q < p by rounding
    assert two_sided_z(ALPHA) == pytest.approx(Z_95)
    assert 9 < two_sided_z(1e-20) < 10  # finite where 1 - alpha/2 would round to 1
