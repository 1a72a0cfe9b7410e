"""HTML fragments built in Python for the site's hottest loops.

A pair page lists hundreds of tasks and a task page every model's outcome, across
thousands of pages: joining ready-made strings is several times faster than a Jinja
loop, and every value is escaped here exactly as the templates would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape


class TaskLinks:
    """Evidence lists as ready-made HTML: one ``<li>`` per task and folder depth.

    A pair page lists hundreds of tasks and there are thousands of pair pages: building
    each item once and joining strings keeps planning fast. A task id with no page (it
    left the suite) is named without a link.
    """

    def __init__(self, task_ids: Iterable[str]) -> None:
        self._known = frozenset(task_ids)
        self._by_depth: dict[int, dict[str, str]] = {}

    def _table(self, depth: int) -> dict[str, str]:
        table = self._by_depth.get(depth)
        if table is None:
            up = "../" * depth
            table = {}
            for task_id in self._known:
                safe = escape(task_id)
                table[task_id] = f'<li><a href="{up}tasks/{safe}/">{safe}</a></li>'
            self._by_depth[depth] = table
        return table

    def items(self, ids: tuple[str, ...], depth: int) -> Markup:
        table = self._table(depth)
        try:
            return Markup("".join(map(table.__getitem__, ids)))  # every task has a page
        except KeyError:
            return Markup("".join([table.get(t) or f"<li>{escape(t)}</li>" for t in ids]))


def outcome_rows(outcomes: Sequence[Any], model_links: Mapping[str, Any]) -> Markup:
    """The task page's table body: one row per model and solver. The solver and status
    cells repeat across thousands of pages, so each is escaped once."""
    out = []
    for o in outcomes:
        statuses = _statuses.get(o.statuses)
        if statuses is None:
            statuses = _statuses[o.statuses] = ", ".join(
                f"{escape(status)} × {n}" for status, n in o.statuses
            )
        solver = _solvers.get(o.solver)
        if solver is None:
            solver = _solvers[o.solver] = str(escape(o.solver))
        out.append(
            f'<tr><th scope="row">{model_links[o.model]}</th><td>{solver}</td>'
            f"<td>{o.solved} of {o.attempts}</td><td>{statuses}</td></tr>\n"
        )
    return Markup("".join(out))


_statuses: dict[tuple[tuple[str, int], ...], str] = {}
_solvers: dict[str, str] = {}
