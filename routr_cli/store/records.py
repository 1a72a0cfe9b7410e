"""The plain records the store writes: one dataclass per table row.

They hold only JSON-able Python values, so the bench runner can build them in worker
threads and hand them to the single writer through a queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RunRecord:
    id: str
    started_at: datetime
    argv: list[str]  # already scrubbed of key-looking values (routr_cli.bench.secrets)
    routr_version: str
    config: dict[str, Any]
    status: str = "running"


@dataclass(frozen=True)
class TaskSnapshot:
    task_hash: str
    task_id: str
    title: str
    category: str
    language: str
    difficulty: str
    files: int
    lines: int
    family: str | None = None  # task.toml's family (migration 007); None: its own


@dataclass(frozen=True)
class AttemptTestRow:
    test_id: str
    outcome: str
    duration_s: float
    message: str | None = None  # the failure message, capped (migration 003)


@dataclass(frozen=True)
class CacheEntry:
    cache_key: str
    model: str
    response: dict[str, Any]


@dataclass(frozen=True)
class AttemptRecord:
    attempt_key: str
    run_id: str
    task_id: str
    task_hash: str
    category: str
    model: str
    provider: str
    simulated: bool
    solver: str
    solver_params: dict[str, Any]
    epoch: int
    status: str
    solved: bool
    score: float
    reason: str | None
    error_message: str | None
    turns: int
    first_turn_solved: bool
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    cache_write_tokens: int
    reasoning_tokens: int
    cost_usd: float | None
    provider_cost_usd: float | None
    latency_s: float
    grade_duration_s: float
    timed_out: bool
    cached_responses: int
    transcript: list[dict[str, Any]]
    created_at: datetime
    tests: tuple[AttemptTestRow, ...] = ()
    # Test-harness files the change touched that grading restored (migration 002).
    restored_harness: list[str] = field(default_factory=list)
    # The applied change as a unified diff, and the grading output, both capped
    # (migration 003). None means not recorded, as for attempts from older versions.
    diff: str | None = None
    grade_output: str | None = None
    # Grading integrity (migration 004): the static scan's hits on the change (any hit
    # flags the attempt; a passing one has status "suspect"), and whether the task ran
    # without a validation record (bench --allow-unvalidated).
    suspect: bool = False
    suspect_hits: list[dict[str, Any]] = field(default_factory=list)
    unvalidated: bool = False
    review: str | None = None  # "accepted" | "rejected", set by `routr attempts review`
    reviewed_at: datetime | None = None
    # Responses fetched (not replayed) during this attempt, persisted with it.
    new_cache_entries: tuple[CacheEntry, ...] = field(default=(), repr=False)

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens
