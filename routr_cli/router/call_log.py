"""The ``calls`` table: every routed call, what was tried, who served, what it cost.

Why a log: it is what `routr calls stats` reports (error rates, latency, spend per model)
and what `routr feedback` attaches outcomes to, which the policy then weighs against the
bench evidence (``feedback.py``). Content (the prompt and the answer) is kept only when
the caller opts in (``--log-content`` or ``ROUTR_LOG_CONTENT=1``); keys never reach
this module at all (providers hold none in their errors, see ``providers/error_map``).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from routr_cli.errors import ConfigError
from routr_cli.router.executor import AttemptLog, CallResult
from routr_cli.router.features import RequestFeatures
from routr_cli.router.policy import Candidate, Decision
from routr_cli.store.db import Store, transaction, utc_now

LOG_CONTENT_ENV = "ROUTR_LOG_CONTENT"
FEEDBACK_OUTCOMES = ("pass", "fail")


class _RandomHex:
    """Random hex from ``os.urandom`` (as ``secrets`` gives it), read 4 KiB at a time:
    `routr serve` names every request, and one system call per id showed up in its
    profile. The lock keeps two threads from taking the same bytes, and a forked child
    drops its parent's unused bytes (the two would otherwise hand out the same ids)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hex = ""
        self._at = 0
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()
        self._hex = ""
        self._at = 0

    def take(self, chars: int) -> str:
        with self._lock:
            if self._at + chars > len(self._hex):
                self._hex = os.urandom(4096).hex()
                self._at = 0
            out = self._hex[self._at : self._at + chars]
            self._at += chars
            return out


_random_hex = _RandomHex()


def new_call_id() -> str:
    return "call-" + _random_hex.take(12)


def log_content_wanted(flag: bool) -> bool:
    return flag or os.environ.get(LOG_CONTENT_ENV, "").strip() in ("1", "true", "yes")


@dataclass(frozen=True)
class CallRecord:
    """One row of ``calls``, built from a decision and its result."""

    id: str
    created_at: datetime
    source: str
    objective: str
    category: str
    categories: dict[str, float]
    language: str | None
    candidates: list[dict[str, Any]]
    served_model: str | None
    simulated: bool
    status: str
    error_class: str | None
    error_message: str | None
    attempts: list[dict[str, Any]]
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    latency_s: float
    ttft_s: float | None
    streamed: bool
    conversation_id: str
    prompt: list[dict[str, str]] | None
    answer: str | None


def candidate_json(decision: Decision) -> list[dict[str, Any]]:
    return [_candidate_json(c) for c in decision.candidates]


def _candidate_json(c: Candidate) -> dict[str, Any]:
    return {
        "model": c.model,
        "provider": c.provider,
        "pass_rate": c.pass_rate,
        "ci_low": c.ci_low,
        "ci_high": c.ci_high,
        "n_tasks": c.n_tasks,
        "expected_cost_usd": c.expected_cost_usd,
        "reasons": list(c.reasons),
    }


def record_for(call_id: str, decision: Decision, result: CallResult, **options: Any) -> CallRecord:
    """The row of a call, made at once (`routr call`): ``call_fields``' keyword options."""
    return record_from_fields(call_fields(call_id, decision, result, **options))


_EPOCH = datetime(1970, 1, 1)


def micros(moment: datetime) -> int:
    """A naive UTC time as integer microseconds since the epoch (exact, unlike a float)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def call_fields(
    call_id: str,
    decision: Decision,
    result: CallResult,
    *,
    source: str,
    streamed: bool,
    conversation_id: str,
    messages: Sequence[tuple[str, str]] | None,
    created_us: int | None = None,
) -> tuple[Any, ...]:
    """A call as a flat tuple of plain values (str, numbers, tuples, a dict): what `routr
    serve` sends to its call-log process (``marshal`` encodes it in C, so the serving
    process's share of a row is this walk and nothing else); ``record_from_fields`` makes
    the row of it there. ``created_us``: naive-UTC microseconds (now by default)."""
    features = decision.features
    return (
        call_id,
        time.time_ns() // 1000 if created_us is None else created_us,
        source,
        decision.objective,
        decision.category,
        dict(features.categories),
        features.language,
        tuple(tuple(c) for c in decision.candidates),
        result.served_model,
        result.simulated,
        result.status,
        result.error_class,
        result.error,
        tuple(
            (
                a.model,
                a.provider,
                a.status,
                a.error_class,
                a.message,
                a.latency_s,
                a.ttft_s,
                a.retries,
            )
            for a in result.attempts
        ),
        result.usage.input_tokens,
        result.usage.output_tokens,
        result.cost_usd,
        result.latency_s,
        result.ttft_s,
        streamed,
        conversation_id,
        None if messages is None else tuple((r, c) for r, c in messages),
        None if messages is None else result.text,
    )


def record_from_fields(fields: Sequence[Any]) -> CallRecord:
    """The ``CallRecord`` of ``call_fields``'s tuple (the one place a row is made of a call)."""
    (call_id, created_us, source, objective, category, categories, language, candidates,
     served_model, simulated, status, error_class, error, attempts, input_tokens,
     output_tokens, cost_usd, latency_s, ttft_s, streamed, conversation_id, messages,
     answer) = fields  # fmt: skip
    features = RequestFeatures(categories, language, 0)
    return CallRecord(
        id=call_id,
        created_at=_EPOCH + timedelta(microseconds=created_us),
        source=source,
        objective=objective,
        # the request's own category (what feedback is evidence about), even when the
        # standings had no slice for it and the decision used "all"
        category=features.dominant_category(0.5) or category,
        categories=dict(categories),
        language=language,
        candidates=[_candidate_json(Candidate(*c)) for c in candidates],
        served_model=served_model,
        simulated=simulated,
        status=status,
        error_class=error_class,
        error_message=error,
        attempts=[AttemptLog(*a).as_json() for a in attempts],
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=cost_usd,
        latency_s=latency_s,
        ttft_s=ttft_s,
        streamed=streamed,
        conversation_id=conversation_id,
        prompt=None if messages is None else [{"role": r, "content": c} for r, c in messages],
        answer=answer,
    )


_COLUMNS = (
    "id", "created_at", "source", "objective", "category", "categories", "language",
    "candidates", "served_model", "simulated", "status", "error_class", "error_message",
    "attempts", "input_tokens", "output_tokens", "cost_usd", "latency_s", "ttft_s",
    "streamed", "conversation_id", "prompt", "answer",
)  # fmt: skip
_JSON = frozenset({"categories", "candidates", "attempts", "prompt"})
BULK_ROWS = 16  # from this many rows on, a batch goes in through a DataFrame


# json.dumps with an option builds a new encoder per call: one, kept, for every row.
_encode_sorted = json.JSONEncoder(sort_keys=True).encode


def write_calls(store: Store, records: Sequence[CallRecord]) -> None:
    """Insert ``records`` in one transaction (serve batches them; call writes one)."""
    rows = []
    for record in records:
        row = []
        for column in _COLUMNS:
            value = getattr(record, column)
            if column in _JSON and value is not None:
                value = _encode_sorted(value)
            row.append(value)
        rows.append(row)
    columns = ", ".join(_COLUMNS)
    with transaction(store.con):
        if len(rows) < BULK_ROWS:
            placeholders = ", ".join("?" for _ in _COLUMNS)
            store.con.executemany(f"INSERT INTO calls ({columns}) VALUES ({placeholders})", rows)
            return
        # serve's batches: DuckDB reads a DataFrame in one vectorised scan, ~30x faster
        # than a statement per row (which holds the GIL the server's event loop needs).
        import pandas as pd

        store.con.register("_routr_call_batch", pd.DataFrame(rows, columns=_COLUMNS, dtype=object))
        try:
            store.con.execute(
                f"INSERT INTO calls ({columns}) SELECT {columns} FROM _routr_call_batch"
            )
        finally:
            store.con.unregister("_routr_call_batch")


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        item = dict(zip(names, row, strict=True))
        for column in _JSON:
            if isinstance(item.get(column), str):
                item[column] = json.loads(item[column])
        out.append(item)
    return out


def list_calls(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The newest calls first."""
    return _dicts(
        store.con.execute(
            "SELECT id, created_at, objective, category, served_model, simulated, status, "
            "error_class, input_tokens, output_tokens, cost_usd, latency_s, ttft_s, feedback "
            "FROM calls ORDER BY created_at DESC, id LIMIT ?",
            [limit],
        )
    )


def get_call(store: Store, call_id: str) -> dict[str, Any]:
    rows = _dicts(store.con.execute("SELECT * FROM calls WHERE id = ?", [call_id]))
    if not rows:
        raise ConfigError(f"no call {call_id!r} in {store.path}: see `routr calls list`")
    return rows[0]


def last_call(store: Store) -> dict[str, Any] | None:
    rows = _dicts(
        store.con.execute(
            "SELECT * FROM calls WHERE source = 'call' ORDER BY created_at DESC LIMIT 1"
        )
    )
    return rows[0] if rows else None


def call_stats(store: Store) -> list[dict[str, Any]]:
    """Per model that was tried: calls, errors, latency p50/p99, time to first token, spend.

    Every attempt counts for its model (a fallback that served and the primary that failed
    before it), so the error rate is per model, not per routed call.
    """
    return _dicts(
        store.con.execute(
            """
            WITH tries AS (
                SELECT c.id, c.served_model, c.cost_usd, c.ttft_s,
                       a.value ->> 'model' AS model,
                       a.value ->> 'status' AS status,
                       CAST(a.value ->> 'latency_s' AS DOUBLE) AS latency_s
                FROM calls c, json_each(c.attempts) a
            )
            SELECT model,
                   count(*) FILTER (WHERE status <> 'skipped') AS calls,
                   count(*) FILTER (WHERE status = 'error') AS errors,
                   count(*) FILTER (WHERE status = 'skipped') AS skipped,
                   count(*) FILTER (WHERE status = 'ok') AS served,
                   quantile_cont(latency_s, 0.5) FILTER (WHERE status = 'ok') AS p50_s,
                   quantile_cont(latency_s, 0.99) FILTER (WHERE status = 'ok') AS p99_s,
                   quantile_cont(ttft_s, 0.5) FILTER (WHERE status = 'ok') AS ttft_p50_s,
                   sum(cost_usd) FILTER (WHERE status = 'ok') AS spend_usd,
                   bool_or(served_model IS NOT NULL AND served_model = model
                           AND cost_usd IS NULL) AS unpriced
            FROM tries GROUP BY model ORDER BY model
            """
        )
    )


def set_feedback(store: Store, call_id: str, outcome: str) -> dict[str, Any]:
    """Record ``pass`` or ``fail`` for a call that was served; a later verdict replaces it."""
    if outcome not in FEEDBACK_OUTCOMES:
        raise ConfigError(f"feedback must be --pass or --fail, not {outcome!r}")
    call = get_call(store, call_id)
    if call["served_model"] is None:
        raise ConfigError(
            f"call {call_id} was not answered (status {call['status']}): there is nothing to grade"
        )
    with transaction(store.con):
        store.con.execute(
            "UPDATE calls SET feedback = ?, feedback_at = ? WHERE id = ?",
            [outcome, utc_now(), call_id],
        )
    call["feedback"] = outcome
    return call


def feedback_counts(store: Store) -> dict[tuple[str, str], tuple[int, int]]:
    """(model, category) -> (passes, fails) over graded calls; category "all" included."""
    rows = store.con.execute(
        "SELECT served_model, category, "
        "count(*) FILTER (WHERE feedback = 'pass'), count(*) FILTER (WHERE feedback = 'fail') "
        "FROM calls WHERE feedback IS NOT NULL AND served_model IS NOT NULL "
        "GROUP BY ALL"
    ).fetchall()
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for model, category, passes, fails in rows:
        scopes = {category, "all"}  # a call in category c is evidence for c and overall
        for scope in scopes:
            p, f = counts.get((model, scope), (0, 0))
            counts[(model, scope)] = (p + int(passes), f + int(fails))
    return counts
