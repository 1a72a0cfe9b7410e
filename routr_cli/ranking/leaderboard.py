"""``rank(rows) -> Leaderboard``: per model, overall and per category. Pure: no I/O.

Counting rules (kept deliberately small; the rigorous statistics are a later issue):

- An attempt whose model call failed after retries (``status == "provider_error"``)
  is not a coding attempt: it is left out of ``attempts`` and the pass rate and counted
  in ``provider_errors`` instead, so a vendor outage does not read as a weak model.
- ``pass_rate`` is solved / attempts with a 95% Wilson interval.
- ``cost_per_solved`` is the total cost of every attempt (errors included: they were
  paid for) divided by the solved count; ``None`` when nothing was solved or when any
  attempt's cost is unknown (an unpriced model), never a guess.
- ``median_latency_s`` is the model's own time per attempt (sandbox time excluded).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from routr_cli.ranking.stats import median_or_none, wilson_interval

ALL = "all"


@dataclass(frozen=True)
class Standing:
    model: str
    category: str  # a task category, or "all"
    simulated: bool
    attempts: int
    solved: int
    pass_rate: float | None
    ci_low: float
    ci_high: float
    provider_errors: int
    cost_usd: float | None
    cost_per_solved: float | None
    median_latency_s: float | None
    total_tokens: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Leaderboard:
    standings: tuple[Standing, ...]

    def for_category(self, category: str = ALL) -> list[Standing]:
        return [s for s in self.standings if s.category == category]

    def categories(self) -> list[str]:
        return sorted({s.category for s in self.standings if s.category != ALL})


def _standing(model: str, category: str, rows: list[Mapping[str, Any]]) -> Standing:
    graded = [r for r in rows if r["status"] != "provider_error"]
    solved = sum(1 for r in graded if r["solved"])
    low, high = wilson_interval(solved, len(graded))
    costs = [r["cost_usd"] for r in rows]
    cost = None if any(c is None for c in costs) else float(sum(costs))
    return Standing(
        model=model,
        category=category,
        simulated=any(bool(r["simulated"]) for r in rows),
        attempts=len(graded),
        solved=solved,
        pass_rate=solved / len(graded) if graded else None,
        ci_low=low,
        ci_high=high,
        provider_errors=len(rows) - len(graded),
        cost_usd=cost,
        cost_per_solved=cost / solved if cost is not None and solved else None,
        median_latency_s=median_or_none([float(r["latency_s"]) for r in graded]),
        total_tokens=sum(int(r["input_tokens"]) + int(r["output_tokens"]) for r in rows),
    )


def sort_key(standing: Standing) -> tuple[float, float, float, str]:
    """Best first: pass rate, then the lower CI bound (more evidence), then cheaper."""
    cost = standing.cost_per_solved
    return (
        -(standing.pass_rate if standing.pass_rate is not None else -1.0),
        -standing.ci_low,
        cost if cost is not None else float("inf"),
        standing.model,
    )


def rank(rows: Iterable[Mapping[str, Any]]) -> Leaderboard:
    """Group attempt rows (dicts with the store's attempt columns) into standings."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["model"], ALL)].append(row)
        groups[(row["model"], row["category"])].append(row)
    standings = [_standing(model, category, items) for (model, category), items in groups.items()]
    standings.sort(key=lambda s: (s.category != ALL, s.category, sort_key(s)))
    return Leaderboard(tuple(standings))
