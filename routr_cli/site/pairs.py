"""Pair pages' data: a stored ``Comparison`` read in the page's canonical order.

A pair has one canonical page, ``/compare/{a}-vs-{b}/``, with ``a`` the alphabetically
first slug, whichever order ``compare --all`` stored. Reading a comparison the other
way round is relabelling, not statistics: A's figures become B's, the difference and
its interval change sign, wins and losses swap, ratios invert. ``PairView`` is that
oriented reading plus the page's indexing decision.

A pair page is *thin* (``noindex,follow`` and out of the sitemap) when fewer than
``min_shared_tasks`` tasks are shared, or when nothing tells the two apart: no
significant difference (BH q < 0.05), no cost or latency gap of 1.5x or more, and no
practical equivalence (the difference's interval inside +/-5 points). Such a page still
exists for visitors who follow a link; it is just not offered to search engines.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields
from typing import Any

from routr_cli.ranking.comparisons import Comparison
from routr_cli.site.formatting import pct, pvalue

SIGNIFICANCE = 0.05
GAP_RATIO = 1.5
EQUIVALENCE_MARGIN = 0.05


@dataclass(frozen=True)
class PairView(Comparison):
    """A stored comparison oriented for its page (A = the page's first model), with the
    page's indexing decision. Task lists are sorted so pages do not depend on storage order."""

    @property
    def significant(self) -> bool:
        p = self.q_value if self.q_value is not None else self.p_value
        return p is not None and p < SIGNIFICANCE

    @property
    def equivalent(self) -> bool:
        """Practically equivalent: the whole interval of the difference is within the margin."""
        low, high = self.diff_ci_low, self.diff_ci_high
        return (
            low is not None
            and high is not None
            and low > -EQUIVALENCE_MARGIN
            and high < EQUIVALENCE_MARGIN
        )

    def shown(self) -> tuple[Any, ...]:
        """Every field as a page can show it, for the page's fingerprint (``builder``).

        The q-value is Benjamini-Hochberg-adjusted over every comparison stored, so it
        moves a little whenever a model is added, for every pair; the pages print it
        rounded (``pvalue``), and the verdict quotes it to 3 significant digits (the
        verdict is here too). The minimum detectable effect is computed at the level BH
        gave the pair, so it moves with q: it is taken as printed (``pct(mde, 1)``).
        Rounded, a pair whose figures did not move keeps its page."""
        lists = tuple(_joined(getattr(self, name)) for name in _TASK_LISTS)
        shown_q = (pvalue(self.q_value), pct(self.mde, 1), self.significant)
        return (*_shown_fields(self), *lists, *shown_q)

    def differentiators(self) -> list[str]:
        """What makes this pair worth a search result, in words (empty: nothing does)."""
        found: list[str] = []
        if self.significant:
            found.append("a significant difference in pass rate")
        if _gap(self.cost_ratio):
            found.append("a cost gap of 1.5x or more")
        if _gap(self.latency_ratio):
            found.append("a latency gap of 1.5x or more")
        if self.equivalent:
            found.append("practical equivalence (within 5 points)")
        return found

    def thin(self, min_shared_tasks: int) -> bool:
        return self.n_shared < min_shared_tasks or not self.differentiators()


def _gap(value: float | None) -> bool:
    return value is not None and value > 0 and (value >= GAP_RATIO or value <= 1 / GAP_RATIO)


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(sorted(value or ()))


def _joined(ids: tuple[str, ...]) -> tuple[int, str] | tuple[str, ...]:
    """Task ids as one space-separated string, for a fingerprint: the evidence lists
    hold up to every task, and the ``repr`` of a tuple of thousands of strings was most
    of a rebuild's fingerprinting (a printable separator: ``repr`` copies it as is).
    Unambiguous with the count when no id holds a space (counted, in C); a list where
    one does falls back to the tuple itself."""
    text = " ".join(ids)
    return (len(ids), text) if text.count(" ") == max(len(ids) - 1, 0) else ids


_FIELDS = tuple(f.name for f in fields(Comparison))
_TASK_LISTS = ("only_a", "only_b", "both", "neither")
_shown_fields = operator.attrgetter(
    *(name for name in _FIELDS if name not in ("q_value", "mde") and name not in _TASK_LISTS)
)


def pair_view(comparison: Comparison, first: str) -> PairView:
    """``comparison`` read with model ``first`` as A (it must be one of the two)."""
    if first not in (comparison.a, comparison.b):
        raise ValueError(f"{first} is not in the comparison {comparison.a} vs {comparison.b}")
    oriented = comparison if first == comparison.a else comparison.flipped()
    values = {name: getattr(oriented, name) for name in _FIELDS}
    for key in _TASK_LISTS:
        values[key] = _ids(values[key])
    # Every field, set at once: a frozen dataclass's __init__ sets its 35 fields one
    # object.__setattr__ at a time, and the site makes thousands of these.
    view = object.__new__(PairView)
    view.__dict__.update(values)
    return view
