"""The ``comparisons`` table: what ``routr compare --all`` computed, kept for the site.

The writer replaces every row at once (a set of comparisons only makes sense together:
their q-values were controlled across the whole set). The reader returns
``routr_cli.ranking.Comparison`` objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from routr_cli.store.db import Store, transaction, utc_now
from routr_cli.store.write import _writable

if TYPE_CHECKING:
    from routr_cli.ranking.comparisons import Comparison


_COLUMNS = (
    "solver", "category", "a", "b", "simulated", "winner", "p_value", "q_value", "payload",
    "computed_at",
)  # fmt: skip


def write_comparisons(store: Store, comparisons: Sequence[Comparison]) -> None:
    """Replace the stored comparisons with ``comparisons`` (one transaction)."""
    _writable(store)
    now = utc_now()
    rows = [
        (
            c.solver,
            c.category,
            c.a,
            c.b,
            c.simulated,
            c.winner,
            c.p_value,
            c.q_value,
            json.dumps(c.as_json(), sort_keys=True),
            now,
        )
        for c in comparisons
    ]
    import pandas as pd

    # One INSERT from a registered frame: executemany costs ~0.3 ms a row, and
    # compare --all at scale stores thousands.
    incoming = pd.DataFrame(rows, columns=list(_COLUMNS))
    with transaction(store.con):
        store.con.execute("DELETE FROM comparisons")
        if rows:
            store.con.register("incoming_comparisons", incoming)
            try:
                store.con.execute(
                    f"INSERT INTO comparisons SELECT {', '.join(_COLUMNS)} FROM incoming_comparisons"
                )
            finally:
                store.con.unregister("incoming_comparisons")


def read_comparisons(db_path: Path | str) -> list[Comparison]:
    """Every stored comparison, ordered by solver, category, a, b."""
    from routr_cli.ranking.comparisons import Comparison

    with Store.open(Path(db_path), read_only=True) as store:
        rows = store.con.execute(
            "SELECT payload FROM comparisons ORDER BY solver, category, a, b"
        ).fetchall()
    return [Comparison.from_json(json.loads(row[0])) for row in rows]
