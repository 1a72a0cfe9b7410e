"""Each model's outcome per task: tallies of recorded attempts (counts, not statistics).

Task pages show every model's attempts at the task, model pages the tasks a model
solved and never solved. The store counts them in one grouped query over the attempt
frame (``store.site_exports.outcome_rows``); this turns those rows into ``Outcome``
records, purely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from routr_cli.site.inputs import Outcome


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)  # "YYYY-MM-DD HH:MM:SS", as the ranking writes its stamps


def outcomes_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, tuple[Outcome, ...]]:
    """Task id -> one ``Outcome`` per (model, solver), in the rows' order.

    ``rows``: one per (task_id, model, solver) with ``attempts``, ``solved``,
    ``simulated``, ``newest`` and ``statuses`` (a list of [status, count]).
    """
    found: dict[str, list[Outcome]] = {}
    for row in rows:
        counts = sorted(
            ((str(s), int(n)) for s, n in row["statuses"]), key=lambda kv: (-kv[1], kv[0])
        )
        found.setdefault(str(row["task_id"]), []).append(
            Outcome(
                model=str(row["model"]),
                simulated=bool(row["simulated"]),
                solver=str(row["solver"]),
                attempts=int(row["attempts"]),
                solved=int(row["solved"]),
                statuses=tuple(counts),
                newest_attempt=_iso(row["newest"]),
            )
        )
    return {task_id: tuple(items) for task_id, items in found.items()}
