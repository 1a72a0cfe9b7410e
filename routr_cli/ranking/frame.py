"""The attempt frame: one row per recorded attempt, the only input the ranking reads.

``routr_cli.store.frame.read_attempt_frame`` fills it from DuckDB with one query;
``attempt_frame_from_rows`` builds the same shape from plain dicts, so tests and the
synthetic benchmark never need a database. Everything downstream is arithmetic on the
columns listed in ``FRAME_COLUMNS``.

Two normalisations happen here, once, so every consumer agrees:

- the solver is stored as the name people see: the ``repair`` solver is ``repair@2``
  (two turns), never pooled with ``edit``;
- ``family`` (tasks that share an origin, clustered together by the bootstrap) falls
  back to the task id when a task has none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# Column -> default when a row (or an older database) does not have it.
FRAME_COLUMNS: dict[str, Any] = {
    "model": None,
    "simulated": False,
    "task_id": None,
    "task_hash": "",
    "category": "",
    "language": "",
    "difficulty": "",
    "family": None,
    "solver": "edit",
    "epoch": 0,
    "status": "failed",
    "solved": False,
    "reason": None,
    "suspect": False,
    "cost_usd": None,
    "latency_s": 0.0,
    "input_tokens": 0,
    "output_tokens": 0,
    "finished_at": None,
}

# The store's solver names -> the names shown and accepted on the command line.
SOLVER_DISPLAY = {"edit": "edit", "repair": "repair@2"}

# Statuses that say nothing about the model's coding: the call or the sandbox failed.
# They count in cost and failure shares, never in a pass rate.
UNGRADED_STATUSES = ("provider_error", "sandbox_error")


def solver_display(name: str) -> str:
    """``repair`` -> ``repair@2``; names already shown that way pass through."""
    return SOLVER_DISPLAY.get(name, name)


def normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill missing columns with their defaults and apply the shared normalisations."""
    import pandas as pd

    out = frame.copy()
    for column, default in FRAME_COLUMNS.items():
        if column not in out.columns:
            out[column] = default
        elif default is not None:
            out[column] = out[column].where(out[column].notna(), default)
    if out["model"].isna().any() or out["task_id"].isna().any():
        raise ValueError("every attempt row needs a model and a task_id")
    out["solver"] = out["solver"].astype(str).map(solver_display)
    out["family"] = out["family"].where(out["family"].notna() & (out["family"] != ""))
    out["family"] = out["family"].fillna(out["task_id"]).astype(str)
    out["solved"] = out["solved"].fillna(False).astype(bool)
    out["simulated"] = out["simulated"].fillna(False).astype(bool)
    out["suspect"] = out["suspect"].fillna(False).astype(bool)
    out["epoch"] = out["epoch"].fillna(0).astype("int64")
    out["cost_usd"] = pd.to_numeric(out["cost_usd"], errors="coerce").astype("float64")
    out["latency_s"] = pd.to_numeric(out["latency_s"], errors="coerce").astype("float64")
    for column in ("input_tokens", "output_tokens"):
        out[column] = out[column].fillna(0).astype("int64")
    out["finished_at"] = pd.to_datetime(out["finished_at"])
    return out[list(FRAME_COLUMNS)]


def stamp_text(value: Any) -> str | None:
    """A timestamp as JSON carries it: ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (RFC 3339 with a
    space), the form DuckDB prints too, so exports round-trip it unchanged; None for NaT."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return str(pd.Timestamp(value).to_pydatetime())


def attempt_frame_from_rows(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The attempt frame from plain dicts (missing columns take their defaults)."""
    import pandas as pd

    records = [dict(row) for row in rows]
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS) if not records else None)
    return normalise_frame(frame)
