"""The routing policy: request features + standings + constraints -> ordered candidates.

Pure and fast (a decision is a few microseconds; ``benchmarks/router_decision.py``): no
I/O, no clock, no randomness. Everything it needs comes in as plain data --

- ``RouteStat``: one model's measured standing in one category slice (from the ranking's
  ``Standing``, possibly adjusted by call feedback; see ``feedback.py``);
- ``RoutingTable``: those stats indexed by category, each slice best first;
- ``ModelInfo``: what the catalog says of a model (prices, context window, capabilities,
  its provider's data policy);
- ``RequestFeatures`` (``features.py``) and ``Constraints``.

Why the rules are what they are:

- The slice is the request's dominant category when the classifier gives one at least half
  the weight and the standings have it; otherwise the overall ("all") standings. Mixing
  several slices' intervals would invent a precision the data does not have.
- ``auto`` takes the best model, except that among models *statistically tied* with it
  (the ranking's tie groups) the cheapest for this request wins: paying more for a
  difference the data cannot show is waste. ``auto:fast`` takes the lowest median latency
  among the same tied set. ``auto:cheap`` takes the cheapest model whose pass rate is
  within ``cheap_margin`` of the best's *and* whose interval still reaches the best's
  interval (the evidence does not say it is worse by more than the margin).
- The fallback chain after the first candidate puts other providers first, so one
  vendor's outage cannot take out the whole chain.
- A model that breaks a constraint is never a candidate; the decision says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from routr_cli.router.features import RequestFeatures
from routr_cli.text import plural

ALL = "all"
OBJECTIVES = ("auto", "auto:cheap", "auto:fast")
DOMINANT_WEIGHT = 0.5


@dataclass(frozen=True)
class RouteStat:
    """One model's standing in one slice, the fields routing needs."""

    model: str
    category: str
    simulated: bool
    pass_rate: float
    ci_low: float
    ci_high: float
    n_tasks: int
    tie_group: int
    cost_per_solved: float | None = None
    latency_p50_s: float | None = None
    feedback: tuple[int, int] = (0, 0)  # (passes, fails) from `routr feedback`, if any


@dataclass(frozen=True)
class RoutingTable:
    """Slices by category (``"all"`` included), each ordered best first."""

    slices: Mapping[str, tuple[RouteStat, ...]]
    simulated_only: bool = False

    def slice(self, category: str) -> tuple[RouteStat, ...]:
        return self.slices.get(category, ())

    def stat(self, model: str, category: str) -> RouteStat | None:
        for stat in self.slices.get(category, ()):
            if stat.model == model:
                return stat
        return None


@dataclass(frozen=True)
class ModelInfo:
    """What the catalog and configuration say about one model."""

    name: str
    provider: str
    simulated: bool = False
    input_per_mtok: float | None = None
    output_per_mtok: float | None = None
    context_window: int | None = None
    capabilities: frozenset[str] | None = None  # None: the catalog does not say
    zdr: bool = False  # the provider retains no data
    data_collection: str = "allow"  # "deny": the provider does not train on requests

    def expected_cost(self, input_tokens: int, output_tokens: int) -> float | None:
        if self.input_per_mtok is None or self.output_per_mtok is None:
            return None
        return (input_tokens * self.input_per_mtok + output_tokens * self.output_per_mtok) / 1e6


@dataclass(frozen=True)
class Constraints:
    """Hard limits: a model that breaks one is never tried."""

    max_input_per_mtok: float | None = None
    max_output_per_mtok: float | None = None
    min_pass_rate: float | None = None
    providers: tuple[str, ...] = ()  # allow list (empty: any)
    exclude_providers: tuple[str, ...] = ()
    zdr: bool = False
    max_latency_s: float | None = None
    cheap_margin: float = 0.05


class Candidate(NamedTuple):
    """One model to try, in order, with why it is here.

    A NamedTuple rather than a frozen dataclass: a decision builds one per eligible model,
    and a frozen dataclass's ``__init__`` alone would cost more than the 50 µs budget
    allows for a dozen of them.
    """

    model: str
    provider: str
    simulated: bool
    category: str  # the slice its figures come from
    pass_rate: float | None
    ci_low: float | None
    ci_high: float | None
    n_tasks: int
    expected_cost_usd: float | None
    latency_p50_s: float | None
    context_window: int | None
    why: str  # why it holds its place; ``reasons`` adds the evidence
    feedback: tuple[int, int] = (0, 0)

    @property
    def reasons(self) -> tuple[str, str]:
        """Why, and the evidence behind it (formatted on demand: deciding stays cheap)."""
        if self.pass_rate is None or self.ci_low is None or self.ci_high is None:
            return self.why, "no bench results for this model"
        fb = self.feedback
        extra = f", feedback +{fb[0]}/-{fb[1]}" if fb != (0, 0) else ""
        return self.why, (
            f"pass {_pct(self.pass_rate)} [{_pct(self.ci_low)}-{_pct(self.ci_high)}] "
            f"in {self.category}, n={self.n_tasks}{extra}"
        )


@dataclass(frozen=True)
class Decision:
    objective: str
    category: str  # the slice used ("all" when no category dominates)
    features: RequestFeatures
    candidates: tuple[Candidate, ...]
    rejected: tuple[tuple[str, str], ...] = field(default=())  # (model, why)

    @property
    def chosen(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def parse_objective(text: str) -> str | tuple[str, ...]:
    """``auto``, ``auto:cheap``, ``auto:fast``, or ``a,b,c`` (an explicit fallback chain)."""
    value = text.strip()
    if value in OBJECTIVES:
        return value
    models = tuple(m.strip() for m in value.split(",") if m.strip())
    return models


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _rejection(
    info: ModelInfo, stat: RouteStat | None, features: RequestFeatures, c: Constraints
) -> str | None:
    """Why ``info`` may not serve this request, or None."""
    if c.providers and info.provider not in c.providers:
        return f"provider {info.provider} not in --provider {','.join(c.providers)}"
    if info.provider in c.exclude_providers:
        return f"provider {info.provider} excluded"
    if c.zdr and not (info.zdr or info.data_collection == "deny"):
        return f"provider {info.provider} declares neither zdr nor data_collection=deny (--zdr)"
    if c.max_input_per_mtok is not None or c.max_output_per_mtok is not None:
        if info.input_per_mtok is None or info.output_per_mtok is None:
            return "price unknown, so --max-price cannot be checked"
        if c.max_input_per_mtok is not None and info.input_per_mtok > c.max_input_per_mtok:
            return f"input ${info.input_per_mtok:g}/M over the ${c.max_input_per_mtok:g}/M ceiling"
        if c.max_output_per_mtok is not None and info.output_per_mtok > c.max_output_per_mtok:
            return (
                f"output ${info.output_per_mtok:g}/M over the ${c.max_output_per_mtok:g}/M ceiling"
            )
    needed = features.input_tokens + features.output_tokens
    if info.context_window is not None and needed > info.context_window:
        return f"needs ~{needed} tokens, context window {info.context_window}"
    if info.capabilities is not None:
        missing = sorted(features.needs - info.capabilities)
        if missing:
            return f"does not support {', '.join(missing)}"
    if stat is not None:
        if c.min_pass_rate is not None and stat.pass_rate < c.min_pass_rate:
            return f"pass rate {_pct(stat.pass_rate)} below the minimum {_pct(c.min_pass_rate)}"
        if (
            c.max_latency_s is not None
            and stat.latency_p50_s is not None
            and stat.latency_p50_s > c.max_latency_s
        ):
            return f"median latency {stat.latency_p50_s:.1f}s over {c.max_latency_s:g}s"
    return None


def _candidate(
    info: ModelInfo, stat: RouteStat | None, features: RequestFeatures, why: str
) -> Candidate:
    # positional, in field order: keyword construction of a NamedTuple costs twice as much
    cost = info.expected_cost(features.input_tokens, features.output_tokens)
    if stat is None:
        return Candidate(
            info.name, info.provider, info.simulated, ALL, None, None, None, 0, cost, None,
            info.context_window, why,
        )  # fmt: skip
    return Candidate(
        info.name, info.provider, info.simulated or stat.simulated, stat.category,
        stat.pass_rate, stat.ci_low, stat.ci_high, stat.n_tasks, cost, stat.latency_p50_s,
        info.context_window, why, stat.feedback,
    )  # fmt: skip


def _info_for(name: str, models: Mapping[str, ModelInfo], stat: RouteStat | None) -> ModelInfo:
    info = models.get(name)
    if info is not None:
        return info
    return ModelInfo(
        name=name, provider=name.partition("/")[0], simulated=bool(stat and stat.simulated)
    )


def _cost_key(info: ModelInfo, stat: RouteStat, features: RequestFeatures) -> tuple[float, float]:
    cost = info.expected_cost(features.input_tokens, features.output_tokens)
    per_solved = stat.cost_per_solved
    return (
        float("inf") if cost is None else cost,
        float("inf") if per_solved is None else per_solved,
    )


def _diversify(ordered: list[Candidate]) -> list[Candidate]:
    """After the first, other providers first (stable), so one outage cannot end the chain."""
    if len(ordered) < 3:
        return ordered
    first = ordered[0]
    others = [c for c in ordered[1:] if c.provider != first.provider]
    same = [c for c in ordered[1:] if c.provider == first.provider]
    return [first, *others, *same]


def choose(
    features: RequestFeatures,
    table: RoutingTable,
    models: Mapping[str, ModelInfo],
    constraints: Constraints,
    objective: str | Sequence[str],
) -> Decision:
    """The ordered candidates for one request (the first is tried first), with reasons."""
    category = features.dominant_category(DOMINANT_WEIGHT)
    if category is None or not table.slice(category):
        category = ALL
    rejected: list[tuple[str, str]] = []
    if isinstance(objective, str):
        label = objective
        candidates = _auto(features, table, models, constraints, objective, category, rejected)
    else:
        label = ",".join(objective)
        candidates = _explicit(features, table, models, constraints, objective, category, rejected)
    return Decision(label, category, features, tuple(candidates), tuple(rejected))


def _explicit(
    features: RequestFeatures,
    table: RoutingTable,
    models: Mapping[str, ModelInfo],
    constraints: Constraints,
    names: Sequence[str],
    category: str,
    rejected: list[tuple[str, str]],
) -> list[Candidate]:
    out: list[Candidate] = []
    for position, name in enumerate(dict.fromkeys(names)):
        stat = table.stat(name, category) or table.stat(name, ALL)
        info = _info_for(name, models, stat)
        why = _rejection(info, stat, features, constraints)
        if why is not None:
            rejected.append((name, why))
            continue
        role = "your first choice" if position == 0 else f"your fallback #{position}"
        out.append(_candidate(info, stat, features, role))
    return out


def _auto(
    features: RequestFeatures,
    table: RoutingTable,
    models: Mapping[str, ModelInfo],
    constraints: Constraints,
    objective: str,
    category: str,
    rejected: list[tuple[str, str]],
) -> list[Candidate]:
    eligible: list[tuple[RouteStat, ModelInfo]] = []
    for stat in table.slice(category):
        info = _info_for(stat.model, models, stat)
        why = _rejection(info, stat, features, constraints)
        if why is None:
            eligible.append((stat, info))
        else:
            rejected.append((stat.model, why))
    if not eligible:
        return []
    best = eligible[0][0]
    tied = [(s, i) for s, i in eligible if s.tie_group == best.tie_group]
    if objective == "auto:fast":
        primary = min(
            tied,
            key=lambda p: (
                float("inf") if p[0].latency_p50_s is None else p[0].latency_p50_s,
                _cost_key(p[1], p[0], features),
            ),
        )
        why = f"fastest (median {primary[0].latency_p50_s or 0:.1f}s) of {len(tied)} tied with the best"
    elif objective == "auto:cheap":
        floor = best.pass_rate - constraints.cheap_margin
        close = [(s, i) for s, i in eligible if s.pass_rate >= floor and s.ci_high >= best.ci_low]
        primary = min(close, key=lambda p: _cost_key(p[1], p[0], features))
        if primary[0] is best:
            why = (
                f"the best; no cheaper model is within {_pct(constraints.cheap_margin)} "
                "of it with an interval reaching its interval"
            )
        else:
            why = (
                f"cheapest within {_pct(constraints.cheap_margin)} of the best "
                f"({best.model}, {_pct(best.pass_rate)}) with an interval reaching the best's"
            )
    else:
        primary = min(tied, key=lambda p: _cost_key(p[1], p[0], features))
        if len(tied) == 1:
            why = "the best, not tied with any other model"
        elif primary[0] is best:
            why = f"the best, and the cheapest of {plural(len(tied), 'model')} statistically tied"
        else:
            why = (
                f"cheapest of {plural(len(tied), 'model')} statistically tied with the best "
                f"({best.model}, {_pct(best.pass_rate)}): the data cannot tell them apart"
            )
    ordered = [_candidate(primary[1], primary[0], features, why)]
    for stat, info in eligible:
        if stat is primary[0]:
            continue
        note = "fallback: tied with the best" if stat.tie_group == best.tie_group else "fallback"
        ordered.append(_candidate(info, stat, features, note))
    return _diversify(ordered)
