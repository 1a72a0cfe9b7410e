"""Named writes. Only the single writer (the main thread of ``routr bench`` or
``routr db merge``) calls these; each finished attempt commits on its own, so a killed
process loses at most the attempts still in flight."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from routr_cli.errors import StoreError
from routr_cli.store.db import Store, transaction, utc_now
from routr_cli.store.records import AttemptRecord, RunRecord, TaskSnapshot

ATTEMPT_COLUMNS = (
    "attempt_key", "run_id", "task_id", "task_hash", "category", "model", "provider",
    "simulated", "solver", "solver_params", "epoch", "status", "solved", "score", "reason",
    "error_message", "turns", "first_turn_solved", "input_tokens", "output_tokens",
    "cached_input_tokens", "cache_write_tokens", "reasoning_tokens", "cost_usd",
    "provider_cost_usd", "latency_s", "grade_duration_s", "timed_out", "cached_responses",
    "transcript", "created_at", "restored_harness", "diff", "grade_output", "suspect",
    "suspect_hits", "unvalidated", "review", "reviewed_at",
)  # fmt: skip
_JSON_COLUMNS = frozenset({"solver_params", "transcript", "restored_harness", "suspect_hits"})


def _writable(store: Store) -> None:
    if store.read_only:
        raise StoreError(f"{store.path} was opened read-only; this is a bug in routr")


def begin_run(store: Store, run: RunRecord) -> None:
    _writable(store)
    store.con.execute(
        "INSERT INTO runs VALUES (?, ?, NULL, ?, ?, ?, ?)",
        [
            run.id,
            run.started_at,
            json.dumps(run.argv),
            run.routr_version,
            json.dumps(run.config, sort_keys=True),
            run.status,
        ],
    )


def finish_run(store: Store, run_id: str, status: str) -> None:
    _writable(store)
    with transaction(store.con):
        store.con.execute(
            "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
            [utc_now(), status, run_id],
        )


def save_snapshots(store: Store, snapshots: Iterable[TaskSnapshot]) -> None:
    """Record every task a run uses, once per content hash."""
    _writable(store)
    now = utc_now()
    rows = [
        [
            s.task_hash,
            s.task_id,
            s.title,
            s.category,
            s.language,
            s.difficulty,
            s.files,
            s.lines,
            now,
            s.family,
        ]
        for s in snapshots
    ]
    if rows:
        store.con.executemany(
            "INSERT OR IGNORE INTO task_snapshots (task_hash, task_id, title, category, "
            "language, difficulty, files, lines, created_at, family) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _valid_unicode(value: Any) -> Any:
    """``value`` with every lone surrogate replaced by U+FFFD, recursively.

    A model's reply may carry ``"\\ud800"`` in its JSON, which Python decodes to a lone
    surrogate; DuckDB refuses such JSON and the attempt could not be recorded (one
    model's answer stopping the run). Valid pairs survive the UTF-16 round trip.
    """
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_valid_unicode(k): _valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_valid_unicode(v) for v in value]
    return value


def to_json(value: Any, *, sort_keys: bool = False) -> str:
    """JSON text the store accepts, whatever strings a model put in ``value``."""
    text = json.dumps(value, sort_keys=sort_keys)
    if "\\ud" in text or "\\uD" in text:  # only then can a lone surrogate be present
        text = json.dumps(_valid_unicode(value), sort_keys=sort_keys)
    return text


def _attempt_values(attempt: AttemptRecord) -> list[object]:
    values: list[object] = []
    for column in ATTEMPT_COLUMNS:
        value = getattr(attempt, column)
        if column in _JSON_COLUMNS:
            value = to_json(value, sort_keys=column == "solver_params")
        elif isinstance(value, str):
            value = _valid_unicode(value)
        values.append(value)
    return values


def record_attempt(
    store: Store, attempt: AttemptRecord, *, replace_status: str | None = None
) -> bool:
    """Write one attempt, its tests and the responses it fetched, in one transaction.

    Returns False (and writes nothing) when the key is already recorded: a resumed or
    merged run never duplicates an attempt. The one exception is an existing attempt
    whose status is ``replace_status`` (``--retry-errors``: a provider error retried),
    which the new attempt replaces, tests included.
    """
    _writable(store)
    values = _attempt_values(attempt)  # JSON first: a bad value fails before any write
    seen: set[str] = set()
    test_rows = []
    for test in attempt.tests:
        if test.test_id not in seen:  # a report may repeat an id; keep the first
            seen.add(test.test_id)
            test_rows.append(
                [attempt.attempt_key, test.test_id, test.outcome, test.duration_s, test.message]
            )
    now = utc_now()
    cache_rows = [
        [entry.cache_key, entry.model, to_json(entry.response), now]
        for entry in attempt.new_cache_entries
    ]
    con = store.con
    with transaction(con):
        existing = con.execute(
            "SELECT status FROM attempts WHERE attempt_key = ?", [attempt.attempt_key]
        ).fetchone()
        if existing is not None:
            if replace_status is None or existing[0] != replace_status:
                return False
            con.execute("DELETE FROM attempt_tests WHERE attempt_key = ?", [attempt.attempt_key])
            con.execute("DELETE FROM attempts WHERE attempt_key = ?", [attempt.attempt_key])
        placeholders = ", ".join("?" for _ in ATTEMPT_COLUMNS)
        con.execute(
            f"INSERT INTO attempts ({', '.join(ATTEMPT_COLUMNS)}) VALUES ({placeholders})", values
        )
        if test_rows:
            con.executemany(
                "INSERT INTO attempt_tests (attempt_key, test_id, outcome, duration_s, message) "
                "VALUES (?, ?, ?, ?, ?)",
                test_rows,
            )
        if cache_rows:
            con.executemany("INSERT OR IGNORE INTO response_cache VALUES (?, ?, ?, ?)", cache_rows)
    return True


def review_attempt(store: Store, key: str, verdict: str) -> None:
    """Record a person's verdict on a flagged attempt (``accepted`` or ``rejected``).

    Accepting a suspect attempt (its tests passed) makes it ``solved``; rejecting makes
    it ``suspect`` again (not solved, reason ``suspect``). Either way ``suspect``, the
    hits, the score and the verdict stay, so the record shows what the tests said and
    who decided. A flagged attempt whose tests failed only gets the verdict: a review
    cannot turn a failure into a pass.
    """
    from routr_cli.errors import ConfigError

    _writable(store)
    if verdict not in ("accepted", "rejected"):
        raise ValueError(f"unknown review verdict {verdict!r}")
    con = store.con
    with transaction(con):
        row = con.execute(
            "SELECT status, suspect FROM attempts WHERE attempt_key = ?", [key]
        ).fetchone()
        if row is None:
            raise ConfigError(f"no attempt {key} in {store.path}")
        status, suspect = row
        if not suspect:
            raise ConfigError(
                f"attempt {key[:12]} was not flagged by the static scan: nothing to review"
            )
        con.execute(
            "UPDATE attempts SET review = ?, reviewed_at = ? WHERE attempt_key = ?",
            [verdict, utc_now(), key],
        )
        if status in ("suspect", "solved"):  # its tests passed: the verdict decides
            accepted = verdict == "accepted"
            con.execute(
                "UPDATE attempts SET status = ?, solved = ?, reason = ? WHERE attempt_key = ?",
                [
                    "solved" if accepted else "suspect",
                    accepted,
                    None if accepted else "suspect",
                    key,
                ],
            )
