"""Work items and their keys: what makes an attempt "the same attempt" across runs.

An attempt is identified by the exact task (its content hash, not its id), the model,
the solver with its parameters, and the epoch. The key is a sha256 over those, so it is
stable across machines and Python versions: resume skips recorded keys, ``--shard i/n``
splits by key hash, and ``routr db merge`` deduplicates on it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from routr_cli.errors import ConfigError
from routr_cli.tasks.model import Task


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def attempt_key(
    task_hash: str, model: str, solver: str, solver_params: dict[str, Any], epoch: int
) -> str:
    payload = canonical_json(
        {
            "task": task_hash,
            "model": model,
            "solver": solver,
            "params": solver_params,
            "epoch": epoch,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based, as typed: ``--shard 2/4``)."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, key: str) -> bool:
        return int(key[:16], 16) % self.count == self.index - 1


def parse_shard(text: str) -> Shard:
    parts = text.split("/")
    try:
        index, count = (int(p) for p in parts)
    except ValueError:
        raise ConfigError(f"--shard {text!r}: expected i/n, e.g. --shard 1/4") from None
    if count < 1 or not 1 <= index <= count:
        raise ConfigError(
            f"--shard {text!r}: i must be between 1 and n, e.g. --shard 1/{max(count, 1)}"
        )
    return Shard(index, count)


def sample_tasks(tasks: Sequence[Task], count: int, seed: int) -> list[Task]:
    """``count`` tasks spread over the categories: a seeded shuffle within each category,
    then one per category in turn. The same seed and suite give the same sample."""
    import random

    by_category: dict[str, list[Task]] = {}
    for task in sorted(tasks, key=lambda t: t.id):
        by_category.setdefault(task.category, []).append(task)
    rng = random.Random(seed)
    queues = []
    for category in sorted(by_category):
        group = by_category[category]
        rng.shuffle(group)
        queues.append(group)
    picked: list[Task] = []
    while len(picked) < count and any(queues):
        for group in queues:
            if group and len(picked) < count:
                picked.append(group.pop(0))
    return sorted(picked, key=lambda t: t.id)


@dataclass(frozen=True)
class WorkItem:
    task: Task
    model: str
    epoch: int
    key: str


def plan_work(
    tasks: Sequence[Task],
    models: Sequence[str],
    epochs: int,
    solver: str,
    solver_params: dict[str, Any],
) -> list[WorkItem]:
    """Every (task, model, epoch), epoch-major then task then model.

    That order means a stopped run has whole epochs of comparable results: every model
    has met the same tasks so far.
    """
    return [
        WorkItem(
            task, model, epoch, attempt_key(task.content_hash, model, solver, solver_params, epoch)
        )
        for epoch in range(epochs)
        for task in tasks
        for model in models
    ]


@dataclass(frozen=True)
class Selection:
    todo: list[WorkItem]
    already_recorded: int
    other_shards: int
    keys: list[str]  # every key this invocation is responsible for (in its shard)


def select_work(items: Sequence[WorkItem], shard: Shard | None, recorded: set[str]) -> Selection:
    """Drop items of other shards, then the ones already recorded (resume)."""
    mine = [i for i in items if shard is None or shard.owns(i.key)]
    todo = [i for i in mine if i.key not in recorded]
    return Selection(
        todo=todo,
        already_recorded=len(mine) - len(todo),
        other_shards=len(items) - len(mine),
        keys=[i.key for i in mine],
    )
