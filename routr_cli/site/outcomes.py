"""Each model's outcome per task: tallies of recorded attempts (counts, not statistics).

Task pages show every model's attempts at the task, model pages the tasks a model
solved and never solved. The store counts them in one grouped query over the attempt
frame (``store.site_exports.outcome_rows``); this turns those rows into ``Outcome``
records, purely.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from routr_cli.site.inputs import Outcome


def outcomes_from_rows(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[Outcome, ...]]:
    """Task id -> one ``Outcome`` per (model, solver), in the rows' order.

    ``rows``: one per (task_id, model, solver) as ``(task_id, model, solver, attempts,
    solved, simulated, newest, statuses)``, ``newest`` as text ("YYYY-MM-DD HH:MM:SS",
    as the ranking writes its stamps) and ``statuses`` as (status, count) pairs, most
    frequent first.
    """
    found: dict[str, list[Outcome]] = {}
    new = object.__new__
    for task_id, model, solver, attempts, solved, simulated, newest, statuses in rows:
        # Every field set at once, as ``pair_view`` does: a frozen dataclass's __init__
        # sets them one ``object.__setattr__`` at a time, and a large site has an outcome
        # per task and model (100,000 at 40 models and 2,500 tasks).
        outcome = new(Outcome)
        outcome.__dict__.update(
            model=str(model),
            simulated=bool(simulated),
            solver=str(solver),
            attempts=int(attempts),
            solved=int(solved),
            statuses=statuses,
            newest_attempt=newest,
        )
        found.setdefault(str(task_id), []).append(outcome)
    return {task_id: tuple(items) for task_id, items in found.items()}
