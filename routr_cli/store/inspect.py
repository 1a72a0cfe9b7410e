"""Reads for people opening the record: runs and attempts, listed and shown one by one.

``routr runs list/show`` and ``routr attempts list/show`` call these. A key or run id may
be given by any unique prefix (as git takes commit ids), so a user can type the first few
characters a list printed. Rows come back as plain dicts with JSON columns decoded and
timestamps as ISO text, ready for a table or ``--json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from routr_cli.errors import ConfigError
from routr_cli.store.db import Store

# What `attempts list` shows per attempt; the heavy columns (transcript, diff, grading
# output) are only read by `attempts show`.
ATTEMPT_LIST_COLUMNS = (
    "attempt_key", "run_id", "created_at", "task_id", "category", "model", "simulated",
    "solver", "epoch", "status", "solved", "score", "reason", "error_message", "turns",
    "input_tokens", "output_tokens", "cost_usd", "latency_s", "grade_duration_s",
)  # fmt: skip


@dataclass(frozen=True)
class AttemptFilter:
    """``routr attempts list`` filters; an empty tuple means any. Each is exact, except
    ``runs`` which takes run id prefixes like every other run argument."""

    models: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    runs: tuple[str, ...] = ()
    limit: int | None = None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _run_summary_sql(where: str) -> str:
    return (
        "SELECT r.id, r.status, r.started_at, r.finished_at, r.routr_version, "
        "count(a.attempt_key) AS attempts, count_if(a.solved) AS solved, "
        "count_if(a.status = 'provider_error') AS provider_errors, "
        "sum(a.cost_usd) AS cost_usd, coalesce(bool_or(a.simulated), false) AS simulated, "
        "list(DISTINCT a.model ORDER BY a.model) FILTER (WHERE a.model IS NOT NULL) AS models "
        f"FROM runs r LEFT JOIN attempts a ON a.run_id = r.id {where} "
        "GROUP BY ALL ORDER BY r.started_at DESC, r.id"
    )


def list_runs(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Every run, newest first, with what it recorded (attempts, solved, cost, models)."""
    sql = _run_summary_sql("")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = _dicts(store.con.execute(sql))
    for row in rows:
        row["models"] = row["models"] or []
    return rows


def _unique(store: Store, table: str, column: str, prefix: str, what: str, hint: str) -> str:
    prefix = prefix.strip()
    if not prefix:
        raise ConfigError(f"an empty {what} matches everything: give one from `{hint}`")
    found = [
        row[0]
        for row in store.con.execute(
            f"SELECT {column} FROM {table} WHERE starts_with({column}, ?) ORDER BY 1 LIMIT 3",
            [prefix],
        ).fetchall()
    ]
    if not found:
        raise ConfigError(f"no {what} starts with {prefix!r} in {store.path}: see `{hint}`")
    if len(found) > 1:
        shown = ", ".join(f[: len(prefix) + 6] for f in found[:2])
        raise ConfigError(
            f"{prefix!r} matches more than one {what} ({shown}, ...): give more characters"
        )
    return str(found[0])


def resolve_run_id(store: Store, prefix: str) -> str:
    return _unique(store, "runs", "id", prefix, "run id", "routr runs list")


def resolve_attempt_key(store: Store, prefix: str) -> str:
    return _unique(store, "attempts", "attempt_key", prefix, "attempt key", "routr attempts list")


def show_run(store: Store, prefix: str) -> dict[str, Any]:
    """One run: its command line and options, and per model what it recorded."""
    run_id = resolve_run_id(store, prefix)
    run = _dicts(store.con.execute(_run_summary_sql("WHERE r.id = ?"), [run_id]))[0]
    run["models"] = run["models"] or []
    argv, config = store.con.execute(
        "SELECT argv, config FROM runs WHERE id = ?", [run_id]
    ).fetchone()
    run["argv"] = json.loads(argv)
    run["config"] = json.loads(config)
    run["per_model"] = _dicts(
        store.con.execute(
            "SELECT model, bool_or(simulated) AS simulated, count(*) AS attempts, "
            "count_if(solved) AS solved, count_if(status = 'provider_error') AS provider_errors, "
            "sum(cost_usd) AS cost_usd, median(latency_s) AS median_latency_s, "
            "sum(input_tokens + output_tokens) AS tokens "
            "FROM attempts WHERE run_id = ? GROUP BY model ORDER BY model",
            [run_id],
        )
    )
    run["statuses"] = dict(
        store.con.execute(
            "SELECT status, count(*) FROM attempts WHERE run_id = ? GROUP BY 1 ORDER BY 1",
            [run_id],
        ).fetchall()
    )
    return run


def attempts_query(store: Store, filters: AttemptFilter, columns: str) -> tuple[str, list[Any]]:
    """The SELECT (and its parameters) for attempts matching ``filters``, newest first.

    Shared by ``attempts list`` and ``export attempts`` so both filter the same way.
    """
    sql = f"SELECT {columns} FROM attempts WHERE true"
    params: list[Any] = []
    for column, values in (
        ("model", filters.models),
        ("task_id", filters.tasks),
        ("status", filters.statuses),
    ):
        if values:
            sql += f" AND list_contains(?, {column})"
            params.append(list(values))
    if filters.runs:
        run_ids = [resolve_run_id(store, prefix) for prefix in filters.runs]
        sql += " AND list_contains(?, run_id)"
        params.append(run_ids)
    sql += " ORDER BY created_at DESC, attempt_key"
    if filters.limit is not None:
        sql += f" LIMIT {int(filters.limit)}"
    return sql, params


def list_attempts(store: Store, filters: AttemptFilter) -> list[dict[str, Any]]:
    """Attempts matching ``filters``, newest first."""
    sql, params = attempts_query(store, filters, ", ".join(ATTEMPT_LIST_COLUMNS))
    return _dicts(store.con.execute(sql, params))


def count_attempts(store: Store, filters: AttemptFilter) -> int:
    """How many attempts match ``filters`` (ignoring its limit)."""
    unlimited = AttemptFilter(filters.models, filters.tasks, filters.statuses, filters.runs)
    sql, params = attempts_query(store, unlimited, "attempt_key")
    return int(store.con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


def show_attempt(store: Store, prefix: str) -> dict[str, Any]:
    """Everything recorded about one attempt: its row, transcript, tests, diff, grading.

    ``diff`` and ``grade_output`` are None (and each test's ``message`` is None) for an
    attempt recorded before Routr stored them: shown as "not recorded", never as empty.
    """
    key = resolve_attempt_key(store, prefix)
    attempt = _dicts(store.con.execute("SELECT * FROM attempts WHERE attempt_key = ?", [key]))[0]
    for column in ("solver_params", "transcript", "restored_harness", "suspect_hits"):
        if isinstance(attempt.get(column), str):
            attempt[column] = json.loads(attempt[column])
    attempt["tests"] = _dicts(
        store.con.execute(
            "SELECT test_id, outcome, duration_s, message FROM attempt_tests "
            "WHERE attempt_key = ? ORDER BY test_id",
            [key],
        )
    )
    return attempt
