"""The attempt frame: the one query the ranking needs, straight into pandas.

``read_attempt_frame`` returns one row per recorded attempt at the newest version of
each task, with the columns of ``routr_cli.ranking.frame.FRAME_COLUMNS``. Columns that
later migrations add (a ``suspect`` flag on attempts, a ``family`` on task snapshots)
are read when the database has them and default otherwise, so an older database still
ranks. Everything after this call is pure arithmetic (``routr_cli.ranking``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from routr_cli.errors import ConfigError
from routr_cli.store.db import Store

if TYPE_CHECKING:
    import pandas as pd

# bench: graded attempts; calls: routed calls graded with `routr feedback` (each one a
# task of its own, solved when the feedback said pass); all: both.
SOURCES = ("bench", "calls", "all")
UNCATEGORISED = "uncategorised"  # a call whose prompt no category dominated


def _columns(store: Store, table: str) -> set[str]:
    rows = store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {str(r[0]) for r in rows}


def attempt_frame_sql(store: Store, *, all_versions: bool = False) -> str:
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
    return sql + " ORDER BY a.model, a.solver, a.task_id, a.epoch, a.attempt_key"


def call_frame_sql() -> str:
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
        "FROM calls c WHERE c.feedback IS NOT NULL AND c.served_model IS NOT NULL "
        "ORDER BY model, task_id"
    )


def read_attempt_frame(
    db_path: Path | str, *, source: str = "bench", all_versions: bool = False
) -> pd.DataFrame:
    """Every attempt of the newest task versions as a normalised attempt frame."""
    from routr_cli.ranking.frame import normalise_frame

    if source not in SOURCES:
        raise ConfigError(f"unknown source {source!r}: use one of {', '.join(SOURCES)}")
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


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as plain dicts (for exports and debugging)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]
