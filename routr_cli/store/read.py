"""Named reads: what the bench runner, ``routr rank`` and exports ask of the store.

Rows come back as plain dicts so the pure code downstream (ranking, site) never sees
DuckDB.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from routr_cli.store.db import Store


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def recorded_keys(
    store: Store, keys: Iterable[str], *, except_status: str | None = None
) -> set[str]:
    """The subset of ``keys`` that already has an attempt (the resume check).

    ``except_status`` leaves out attempts with that status (``--retry-errors`` passes
    ``provider_error`` so those are attempted again).
    """
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    # One list parameter, not a temp table filled row by row: executemany costs ~0.3 ms
    # per key, which made planning a large suite take seconds before the first attempt.
    rows = store.con.execute(
        "SELECT attempt_key FROM attempts "
        "WHERE attempt_key IN (SELECT unnest(?::VARCHAR[])) AND status IS DISTINCT FROM ?",
        [wanted, except_status],
    ).fetchall()
    return {row[0] for row in rows}


def cached_responses(store: Store, models: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Every cached response for ``models``, by cache key (loaded once per run)."""
    names = sorted(set(models))
    if not names:
        return {}
    rows = store.con.execute(
        "SELECT cache_key, response FROM response_cache WHERE list_contains(?, model)", [names]
    ).fetchall()
    return {key: json.loads(text) for key, text in rows}


RANK_COLUMNS = (
    "model", "provider", "simulated", "category", "task_id", "epoch", "status", "solved",
    "score", "cost_usd", "latency_s", "input_tokens", "output_tokens", "reasoning_tokens",
    "reason", "suspect", "review", "unvalidated",
)  # fmt: skip


# The newest version of each task id this database has seen (snapshots are written
# when a run first uses a task hash).
_LATEST_TASK_VERSIONS = (
    "task_hash IN (SELECT task_hash FROM task_snapshots QUALIFY row_number() OVER "
    "(PARTITION BY task_id ORDER BY created_at DESC, task_hash) = 1)"
)


def rank_rows(
    store: Store,
    categories: list[str] | None = None,
    solvers: list[str] | None = None,
    *,
    all_versions: bool = False,
) -> list[dict[str, Any]]:
    """The attempt columns ranking needs, one dict per attempt, in a stable order.

    By default only attempts at the newest version of each task count: an edited task
    is a different task, and mixing versions would compare models on different work.
    """
    sql = f"SELECT {', '.join(RANK_COLUMNS)} FROM attempts WHERE true"
    params: list[Any] = []
    if not all_versions:
        sql += f" AND {_LATEST_TASK_VERSIONS}"
    if categories:
        sql += " AND list_contains(?, category)"
        params.append(categories)
    if solvers:
        sql += " AND list_contains(?, solver)"
        params.append(solvers)
    sql += " ORDER BY model, category, task_id, epoch, attempt_key"
    return _dicts(store.con.execute(sql, params))


def attempts_for_keys(store: Store, keys: Iterable[str]) -> list[dict[str, Any]]:
    """Attempts by key (the work a command asked for, whichever run recorded it)."""
    wanted = sorted(set(keys))
    if not wanted:
        return []
    cursor = store.con.execute(
        "SELECT * EXCLUDE (transcript) FROM attempts WHERE list_contains(?, attempt_key) "
        "ORDER BY task_id, model, epoch, attempt_key",
        [wanted],
    )
    rows = _dicts(cursor)
    for row in rows:
        row["solver_params"] = json.loads(row["solver_params"])
        row["created_at"] = row["created_at"].isoformat()
    return rows


def table_counts(store: Store) -> dict[str, int]:
    tables = ("runs", "task_snapshots", "attempts", "attempt_tests", "response_cache")
    return {t: int(store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def attempt_integrity(store: Store, key: str) -> dict[str, Any]:
    """What a reviewer of attempt ``key`` needs: who, what, the scan's hits, the verdict."""
    cursor = store.con.execute(
        "SELECT attempt_key, model, task_id, epoch, status, solved, reason, suspect, "
        "suspect_hits, review, reviewed_at FROM attempts WHERE attempt_key = ?",
        [key],
    )
    (row,) = _dicts(cursor)
    row["suspect_hits"] = json.loads(row["suspect_hits"])
    return row


# The attempt frame (the ranking's one query) lives in store.frame; the ranking contract
# names it here too.
from routr_cli.store.frame import read_attempt_frame as read_attempt_frame  # noqa: E402
