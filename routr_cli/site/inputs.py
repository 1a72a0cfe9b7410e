"""What the site is built from: plain, already-computed data (no database, no statistics).

``SiteData`` gathers the ranking API's results (a ``Leaderboard`` and the stored
``compare --all`` comparisons; see ``routr_cli.ranking``) with the facts the pages show
beside them: task metadata and prompts, each model's outcome per task, the classifier
for the grader, the methodology text and the download files. The CLI fills it from the
store once; everything after is pure, so the tests build it by hand.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

DEFAULT_MIN_SHARED_TASKS = 30


@dataclass(frozen=True)
class TaskInfo:
    """A task as its page shows it. Never the hidden tests nor the reference change."""

    task_id: str
    title: str
    category: str
    language: str
    difficulty: str
    files: int | None = None
    lines: int | None = None
    prompt: str | None = None  # prompt.md: what the model reads; not secret


@dataclass(frozen=True)
class Outcome:
    """One model's recorded attempts at one task (counts, not statistics)."""

    model: str
    simulated: bool
    solver: str
    attempts: int
    solved: int
    statuses: tuple[tuple[str, int], ...]  # (status, count), most frequent first
    newest_attempt: str | None = None


_outcome_fields = operator.attrgetter(*(f.name for f in fields(Outcome)))


class Outcomes(tuple[Outcome, ...]):
    """A task's outcomes as its page lists them. ``shown()`` gives their fields as plain
    tuples for the page's fingerprint: thousands of task pages list every model, and a
    dataclass's generated ``repr`` is several times slower than a tuple's."""

    def shown(self) -> list[tuple[Any, ...]]:
        return list(map(_outcome_fields, self))


@dataclass(frozen=True)
class Download:
    """A data file the build wrote under ``downloads/``, linked from the pages."""

    path: str  # relative to the site root, e.g. "downloads/attempts.csv"
    title: str
    media_type: str  # "text/csv", "application/vnd.apache.parquet", "application/json"
    size_bytes: int
    kind: str  # "attempts" | "leaderboard" | "comparisons" | "tasks"
    model: str | None = None  # a model's own attempts file


@dataclass(frozen=True)
class SiteOptions:
    base_url: str = "http://127.0.0.1:8000/"
    title: str = "Routr: coding model rankings"
    min_shared_tasks: int = DEFAULT_MIN_SHARED_TASKS

    @property
    def root_url(self) -> str:
        """The base URL with exactly one trailing slash (canonicals are built on it)."""
        return self.base_url.rstrip("/") + "/"


@dataclass(frozen=True)
class SiteData:
    """Everything a build renders. ``leaderboard`` and ``comparisons`` are the ranking
    API's objects (``Leaderboard`` with its ``language:NAME`` slices, ``Comparison``):
    the site reads their fields only."""

    leaderboard: Any
    comparisons: Sequence[Any]
    tasks: Mapping[str, TaskInfo]
    outcomes: Mapping[str, Sequence[Outcome]]  # task id -> one per (model, solver)
    classifier: Mapping[str, Any] | None = None  # classifier_model(): the grader's JSON
    methodology_markdown: str | None = None
    downloads: Sequence[Download] = ()
    data_version: str = ""
