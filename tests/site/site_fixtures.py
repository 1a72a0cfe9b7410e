"""Hand-made ranking results for site tests, with the contract's field names.

The site reads ``Standing``/``Leaderboard``/``Comparison`` fields only, so these small
stand-ins (shaped as in the ranking API contract) drive every page type without
running the statistics.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from routr_cli.ranking.comparisons import Comparison
from routr_cli.site import Download, Outcome, SiteData, TaskInfo

CATEGORIES = ("bugfix", "feature", "security")
LANGUAGES = ("go", "python")
NEWEST = datetime(2026, 11, 30, 17, 5, 0)


@dataclass(frozen=True)
class FakeStanding:
    model: str
    category: str
    solver: str
    simulated: bool
    pass_rate: float | None
    ci_low: float
    ci_high: float
    n_tasks: int
    epochs: int
    coverage: float
    rank: int | None
    rank_ub: int | None
    rank_low: int | None
    rank_high: int | None
    tie_group: int
    p_top1: float
    p_top3: float
    bt_score: float
    bt_ci_low: float
    bt_ci_high: float
    cost_per_solved: float | None
    cost_ci_low: float | None
    cost_ci_high: float | None
    total_cost: float | None
    latency_p50_s: float | None
    latency_p90_s: float | None
    failure_shares: dict[str, float] = field(default_factory=dict)
    tampered: int = 0
    suspect: int = 0
    best_value: bool = False
    dominated: bool = False
    newest_attempt: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FakeLeaderboard:
    rows: tuple[FakeStanding, ...]
    newest_attempt: datetime | None

    def for_category(self, category: str = "all", solver: str | None = None) -> list[Any]:
        found = [
            s
            for s in self.rows
            if s.category == category and (solver is None or s.solver == solver)
        ]
        return sorted(found, key=lambda s: (s.rank is None, s.rank or 0, s.model))

    def categories(self) -> list[str]:
        return sorted(
            {s.category for s in self.rows if s.category != "all" and ":" not in s.category}
        )

    def languages(self) -> list[str]:
        return sorted({s.category for s in self.rows if s.category.startswith("language:")})

    def as_json(self) -> list[dict[str, Any]]:
        return [s.as_json() for s in self.rows]


# model -> (skill, cost per attempt, latency)
MODELS = {
    "openai/gpt-4.1": (0.8, 0.02, 9.0),
    "anthropic/claude-sonnet-4-5": (0.78, 0.03, 11.0),
    "deepseek/deepseek-chat": (0.6, 0.002, 20.0),
    "groq/llama-3.3-70b": (0.35, 0.001, 2.0),
}


def _tasks(n_per_category: int) -> dict[str, TaskInfo]:
    tasks = {}
    for c, category in enumerate(CATEGORIES):
        for i in range(n_per_category):
            language = LANGUAGES[(i + c) % len(LANGUAGES)]
            task_id = f"{language}-{category}-{i:03d}"
            tasks[task_id] = TaskInfo(
                task_id=task_id,
                title=f"Fix the {category} case {i} in the {language} service",
                category=category,
                language=language,
                difficulty=("easy", "medium", "hard")[i % 3],
                files=3 + i % 5,
                lines=120 + 7 * i,
                prompt=f"# Issue {i}\n\nThe `{category}` handler fails when the input is empty.\n",
            )
    return tasks


def _solved(model: str, task_id: str, skill: float) -> bool:
    # Deterministic pseudo-outcome: a stable hash of the pair against the skill.
    h = sum((i + 1) * ord(ch) for i, ch in enumerate(model + task_id)) % 1000
    return h / 1000 < skill


def _standings(
    models: dict[str, tuple[float, float, float]],
    tasks: dict[str, TaskInfo],
    solved: dict[tuple[str, str], bool],
    key: str,
    slices: tuple[str, ...],
    simulated: bool,
    stamp: str,
) -> list[FakeStanding]:
    """Standings per slice of ``key`` (category or language), plus "all"."""
    rows: list[FakeStanding] = []
    for category in ("all", *slices):
        ids = [t for t, info in tasks.items() if category in ("all", getattr(info, key))]
        rates = {m: sum(solved[(m, t)] for t in ids) / len(ids) for m in models}
        order = sorted(models, key=lambda m: (-rates[m], m))
        for rank, m in enumerate(order, start=1):
            rate = rates[m]
            _, cost, latency = models[m]
            n_solved = max(1, round(rate * len(ids)))
            group = 1 if rank <= 2 else rank - 1
            rows.append(
                FakeStanding(
                    model=m,
                    category=category,
                    solver="edit",
                    simulated=simulated or m.startswith("sim/"),
                    pass_rate=rate,
                    ci_low=max(0.0, rate - 0.12),
                    ci_high=min(1.0, rate + 0.12),
                    n_tasks=len(ids),
                    epochs=2,
                    coverage=1.0,
                    rank=rank,
                    rank_ub=rank,
                    rank_low=max(1, rank - 1),
                    rank_high=min(len(models), rank + 1),
                    tie_group=group,
                    p_top1=0.5 if rank <= 2 else 0.0,
                    p_top3=1.0 if rank <= 3 else 0.1,
                    bt_score=1.0 - rank / 10,
                    bt_ci_low=0.5,
                    bt_ci_high=1.5,
                    cost_per_solved=cost * len(ids) * 2 / n_solved,
                    cost_ci_low=cost * len(ids) / n_solved,
                    cost_ci_high=cost * len(ids) * 3 / n_solved,
                    total_cost=cost * len(ids) * 2,
                    latency_p50_s=latency,
                    latency_p90_s=latency * 2,
                    failure_shares={"tests_failed": 1 - rate, "malformed_edit": 0.0},
                    best_value=m == "deepseek/deepseek-chat",
                    dominated=m == "anthropic/claude-sonnet-4-5",
                    newest_attempt=stamp,
                )
            )
    return rows


def site_data(
    *,
    models: dict[str, tuple[float, float, float]] | None = None,
    n_per_category: int = 12,
    simulated: bool = False,
    newest: datetime = NEWEST,
) -> SiteData:
    """A small, consistent site: 4 models, 3 categories, ``3 * n_per_category`` tasks."""
    models = dict(models or MODELS)
    tasks = _tasks(n_per_category)
    stamp = str(newest)
    solved = {(m, t): _solved(m, t, skill) for m, (skill, _, _) in models.items() for t in tasks}
    rows = _standings(models, tasks, solved, "category", CATEGORIES, simulated, stamp)
    language_rows = [
        dataclasses.replace(r, category=f"language:{r.category}")
        for r in _standings(models, tasks, solved, "language", LANGUAGES, simulated, stamp)
        if r.category != "all"
    ]
    comparisons = []
    for a, b in itertools.combinations(sorted(models), 2):
        for category in ("all", *CATEGORIES):
            ids = sorted(t for t, info in tasks.items() if category in ("all", info.category))
            only_a = tuple(t for t in ids if solved[(a, t)] and not solved[(b, t)])
            only_b = tuple(t for t in ids if solved[(b, t)] and not solved[(a, t)])
            both = tuple(t for t in ids if solved[(a, t)] and solved[(b, t)])
            neither = tuple(t for t in ids if not solved[(a, t)] and not solved[(b, t)])
            pa = (len(only_a) + len(both)) / len(ids)
            pb = (len(only_b) + len(both)) / len(ids)
            diff = pa - pb
            significant = abs(diff) > 0.2
            comparisons.append(
                Comparison(
                    a=b,  # stored in reverse order on purpose: the site must orient it
                    b=a,
                    category=category,
                    solver="edit",
                    n_shared=len(ids),
                    pass_a=pb,
                    ci_a_low=max(0.0, pb - 0.1),
                    ci_a_high=min(1.0, pb + 0.1),
                    pass_b=pa,
                    ci_b_low=max(0.0, pa - 0.1),
                    ci_b_high=min(1.0, pa + 0.1),
                    diff=-diff,
                    diff_ci_low=-diff - 0.08,
                    diff_ci_high=-diff + 0.08,
                    wins=len(only_b),
                    ties=len(both) + len(neither),
                    losses=len(only_a),
                    p_value=0.001 if significant else 0.4,
                    q_value=0.004 if significant else 0.6,
                    test="mcnemar-exact",
                    mde=0.15,
                    tasks_needed=None if significant else 120,
                    cost_ratio=models[b][1] / models[a][1],
                    latency_ratio=models[b][2] / models[a][2],
                    winner=(a if diff > 0 else b) if significant else None,
                    verdict=(
                        f"{a if diff > 0 else b} is better on these tasks."
                        if significant
                        else "No significant difference on these tasks."
                    ),
                    only_a=only_b,
                    only_b=only_a,
                    both=both,
                    neither=neither,
                    simulated=simulated,
                    newest_attempt=stamp,
                )
            )
    outcomes: dict[str, list[Outcome]] = {}
    for t in tasks:
        outcomes[t] = [
            Outcome(
                model=m,
                simulated=simulated,
                solver="edit",
                attempts=2,
                solved=2 if solved[(m, t)] else 0,
                statuses=(("solved", 2),) if solved[(m, t)] else (("tests_failed", 2),),
                newest_attempt=stamp,
            )
            for m in sorted(models)
        ]
    board = FakeLeaderboard(tuple(rows + language_rows), newest)
    return SiteData(
        leaderboard=board,
        comparisons=comparisons,
        tasks=tasks,
        outcomes=outcomes,
        classifier=None,
        methodology_markdown="# Methodology\n\nTasks are graded by **hidden tests**.\n",
        downloads=_downloads(models),
        data_version="test-1",
    )


def _downloads(models: dict[str, tuple[float, float, float]]) -> tuple[Download, ...]:
    """Data files as the CLI lists them (the pages only link them; none exist here)."""
    files = [
        Download(f"downloads/{kind}.{fmt}", f"{kind} ({fmt})", media, 1000, kind)
        for kind in ("leaderboard", "comparisons")
        for fmt, media in (("csv", "text/csv"), ("json", "application/json"))
    ]
    files += [
        Download(
            f"downloads/attempts/{m.replace('/', '-')}.csv",
            f"{m} attempts",
            "text/csv",
            10,
            "attempts",
            m,
        )
        for m in sorted(models)
    ]
    return tuple(files)


def touch_downloads(out: Path, data: SiteData) -> None:
    """Stand-in data files where the CLI would have written them (the link checker
    wants every linked file to exist)."""
    for d in data.downloads:
        target = out / d.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("stand-in\n")
