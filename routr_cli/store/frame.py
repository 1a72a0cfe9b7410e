"""The attempt frame: the one query the ranking needs, straight into pandas.

``read_attempt_frame`` returns one row per recorded attempt at the newest version of
each task, with the columns of ``routr_cli.ranking.frame.FRAME_COLUMNS``. Columns that
later migrations add (a ``suspect`` flag on attempts, a ``family`` on task snapshots)
are read when the database has them and default otherwise, so an older database still
ranks. Everything after this call is pure arithmetic (``routr_cli.ranking``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routr_cli.errors import ConfigError
from routr_cli.store.db import Store

if TYPE_CHECKING:
    import pandas as pd

    from routr_cli.ranking.summary import AttemptSummary

# bench: graded attempts; calls: routed calls graded with `routr feedback` (each one a
# task of its own, solved when the feedback said pass); all: both.
SOURCES = ("bench", "calls", "all")
UNCATEGORISED = "uncategorised"  # a call whose prompt no category dominated


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ConfigError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")


def _columns(store: Store, table: str) -> set[str]:
    rows = store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {str(r[0]) for r in rows}


def attempt_frame_sql(store: Store, *, all_versions: bool = False, ordered: bool = True) -> str:
    """The frame's SELECT for this database's schema."""
    from routr_cli.store.read import _LATEST_TASK_VERSIONS  # one rule for "newest version"

    attempts = _columns(store, "attempts")
    snapshots = _columns(store, "task_snapshots")
    suspect = (
        "coalesce(lower(CAST(a.suspect AS VARCHAR)) NOT IN ('false', '0', ''), false)"
        if "suspect" in attempts
        else "false"
    )
    family = "coalesce(nullif(s.family, ''), a.task_id)" if "family" in snapshots else "a.task_id"
    sql = (
        "SELECT a.model, a.simulated, a.task_id, task_hash, a.category, "
        "coalesce(s.language, '') AS language, coalesce(s.difficulty, '') AS difficulty, "
        f"{family} AS family, a.solver, a.epoch, a.status, a.solved, a.reason, "
        f"{suspect} AS suspect, a.cost_usd, a.latency_s, a.input_tokens, a.output_tokens, "
        "a.created_at AS finished_at "
        "FROM attempts a LEFT JOIN task_snapshots s USING (task_hash)"
    )
    if not all_versions:
        sql += f" WHERE {_LATEST_TASK_VERSIONS}"
    if not ordered:
        return sql
    return sql + " ORDER BY a.model, a.solver, a.task_id, a.epoch, a.attempt_key"


def call_frame_sql(*, ordered: bool = True) -> str:
    """Graded routed calls in the frame's columns: one call, one single-attempt task."""
    return (
        "SELECT c.served_model AS model, c.simulated, c.id AS task_id, '' AS task_hash, "
        f"CASE WHEN c.category = 'all' THEN '{UNCATEGORISED}' ELSE c.category END AS category, "
        "coalesce(c.language, '') AS language, '' AS difficulty, c.id AS family, "
        "'edit' AS solver, 0 AS epoch, "
        "CASE WHEN c.feedback = 'pass' THEN 'solved' ELSE 'failed' END AS status, "
        "c.feedback = 'pass' AS solved, "
        "CASE WHEN c.feedback = 'pass' THEN NULL ELSE 'call_feedback_fail' END AS reason, "
        "false AS suspect, c.cost_usd, c.latency_s, c.input_tokens, c.output_tokens, "
        "c.feedback_at AS finished_at "
        "FROM calls c WHERE c.feedback IS NOT NULL AND c.served_model IS NOT NULL"
        + (" ORDER BY model, task_id" if ordered else "")
    )


def _source_sql(store: Store, source: str, *, all_versions: bool) -> str:
    """The frame's rows for ``source`` as one unordered SELECT (bench, calls or both)."""
    _check_source(source)
    parts = []
    if source in ("bench", "all"):
        parts.append(attempt_frame_sql(store, all_versions=all_versions, ordered=False))
    if source in ("calls", "all"):
        parts.append(call_frame_sql(ordered=False))
    return " UNION ALL ".join(f"({part})" for part in parts)


def read_attempt_frame(
    db_path: Path | str, *, source: str = "bench", all_versions: bool = False
) -> pd.DataFrame:
    """Every attempt of the newest task versions as a normalised attempt frame."""
    from routr_cli.ranking.frame import normalise_frame

    _check_source(source)
    import pandas as pd

    with Store.open(Path(db_path), read_only=True) as store:
        parts = []
        if source in ("bench", "all"):
            parts.append(
                store.con.execute(attempt_frame_sql(store, all_versions=all_versions)).df()
            )
        if source in ("calls", "all"):
            parts.append(store.con.execute(call_frame_sql()).df())
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    return normalise_frame(frame)


def _kind_sql() -> str:
    """``ranking.summary.failure_kind`` in SQL (a test holds the two equal)."""
    return (
        "CASE WHEN status = 'provider_error' THEN 'provider_error' "
        "WHEN status = 'sandbox_error' THEN 'sandbox_error' "
        "WHEN coalesce(reason, '') = 'tampered' THEN 'tampered' "
        "WHEN status = 'suspect' OR coalesce(reason, '') = 'suspect' THEN 'suspect' "
        "WHEN status = 'malformed_edit' THEN 'malformed_edit' "
        "WHEN status = 'unappliable_edit' THEN 'unappliable_edit' "
        "WHEN solved THEN '' "
        "WHEN coalesce(reason, '') = 'timeout' THEN 'timeout' "
        "WHEN coalesce(reason, '') IN ('tests_failed', '') THEN 'tests_failed' "
        "ELSE 'other' END"
    )


def _exact_sum(expression: str, decimals: int) -> str:
    """``sum(expression)`` (0 when empty) that does not depend on the order DuckDB's
    threads add the rows in: a parallel DOUBLE sum differed in the last digit from one
    run to the next (same database, same command), so a published cost could change
    on a rerun. Summed as a DECIMAL (exact) to ``decimals`` places, then a DOUBLE."""
    return f"coalesce(sum(({expression})::DECIMAL(38, {decimals})), 0)::DOUBLE"


def _quantile_pair(value: Any) -> tuple[float, float]:
    """(p50, p90) from DuckDB's quantile list; NaN for a group with no graded latency."""
    if not hasattr(value, "__len__"):  # a list (or array) of two, else NULL
        return math.nan, math.nan  # None, NaN or pd.NA: no graded attempt in the group
    low, high = value
    return (math.nan if low is None else float(low)), (math.nan if high is None else float(high))


def read_attempt_summary(
    db_path: Path | str, *, source: str = "bench", all_versions: bool = False
) -> AttemptSummary:
    """The attempt frame already folded by DuckDB into ``ranking.summary.AttemptSummary``
    (per-task cells and per-slice extras): what ``summarise(read_attempt_frame(db))``
    gives, without a million rows crossing into Python."""
    import numpy as np

    from routr_cli.ranking.summary import FAILURE_KINDS, AttemptSummary

    _check_source(source)
    graded = "status NOT IN ('provider_error', 'sandbox_error')"
    with Store.open(Path(db_path), read_only=True) as store:
        base = (
            f"WITH f AS ({_source_sql(store, source, all_versions=all_versions)}), "
            f"b AS (SELECT *, {graded} AS is_graded, {_kind_sql()} AS kind FROM f) "
        )
        # Task attributes come once per task and model flags once per model: carrying
        # them on every (model, task) cell tripled the cost of the fold. They are joined
        # to the cells inside DuckDB, in one query: one round trip, no pandas merge, and
        # (not materialised) each part scans only the columns it reads.
        cells = store.con.execute(
            base.replace("b AS (", "b AS NOT MATERIALIZED (", 1)
            + ", c AS (SELECT solver, model, task_id, "
            "count_if(is_graded) AS graded, count_if(is_graded AND solved) AS solved, "
            f"count(*) AS attempts, {_exact_sum('cost_usd', 12)} AS cost, "
            "bool_or(cost_usd IS NULL) AS cost_unknown, "
            f"{_exact_sum('CASE WHEN is_graded THEN coalesce(latency_s, 0) ELSE 0 END', 9)} "
            "AS latency FROM b GROUP BY solver, model, task_id), "
            "t AS (SELECT task_id, min(category) AS category, min(family) AS family, "
            "min(language) AS language FROM b GROUP BY task_id), "
            "m AS (SELECT solver, model, bool_or(simulated) AS simulated FROM b GROUP BY ALL) "
            "SELECT c.*, t.category, t.family, t.language, m.simulated "
            "FROM c LEFT JOIN t USING (task_id) LEFT JOIN m USING (solver, model) "
            "ORDER BY solver, model, task_id"
        ).df()
        kinds = ", ".join(f"count_if(kind = '{k}') AS \"{k}\"" for k in FAILURE_KINDS)
        extras = store.con.execute(
            base + "SELECT solver, model, coalesce(category, 'all') AS category, "
            f"count(*) AS total, {kinds}, count_if(suspect) AS suspect_flagged, "
            # both quantiles from one sort of each group's latencies
            "quantile_cont(CASE WHEN is_graded THEN latency_s END, [0.5, 0.9]) AS q, "
            "max(finished_at) AS newest "
            "FROM b GROUP BY GROUPING SETS ((solver, model), (solver, model, category)) "
            "ORDER BY solver, model, category"
        ).df()
    pairs = [_quantile_pair(q) for q in extras.pop("q")]
    extras["p50"] = np.array([p[0] for p in pairs], dtype="float64")
    extras["p90"] = np.array([p[1] for p in pairs], dtype="float64")
    return AttemptSummary(cells, extras).normalised()


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as plain dicts (for exports and debugging)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]
