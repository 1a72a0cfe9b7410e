"""The two folds of the attempt frame agree: pandas (summarise) and DuckDB
(read_attempt_summary), including the failure-kind rule written once in each."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from ranking_testkit import attempt_record

from routr_cli.ranking import standings
from routr_cli.ranking.summary import summarise
from routr_cli.store import Store
from routr_cli.store.frame import read_attempt_frame, read_attempt_summary
from routr_cli.store.records import TaskSnapshot
from routr_cli.store.write import record_attempt, save_snapshots

KINDS = [  # (status, reason, solved): one of every failure kind and a few look-alikes
    ("solved", None, True), ("failed", "tests_failed", False), ("failed", "timeout", False),
    ("failed", "tampered", False), ("suspect", "suspect", False), ("malformed_edit", None, False),
    ("unappliable_edit", "unappliable", False), ("provider_error", None, False),
    ("sandbox_error", "sandbox_error", False), ("failed", "out_of_memory", False),
    ("failed", None, False),
]  # fmt: skip


def test_duckdb_and_pandas_folds_are_equal(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        save_snapshots(
            store,
            [
                TaskSnapshot(
                    f"h{t:02d}", f"t{t:02d}", "T", ("bugfix", "feature")[t % 2], "go", "easy", 1, 1
                )
                for t in range(len(KINDS))
            ],
        )
        for t, (status, reason, solved) in enumerate(KINDS):
            for model, cost in (("sim/a", 0.01), ("x/b", None if t == 3 else 0.02)):
                record_attempt(
                    store,
                    attempt_record(
                        model,
                        t,
                        solved,
                        status=status,
                        reason=reason,
                        cost_usd=cost,
                        latency_s=1.0 + t,
                        suspect=status == "suspect",
                    ),
                )
            record_attempt(
                store,
                attempt_record(
                    "sim/a", t, t % 2 == 0, solver="repair", epoch=1, attempt_key=f"r{t}"
                ),
            )
    fast = read_attempt_summary(path)
    slow = summarise(read_attempt_frame(path))
    pd.testing.assert_frame_equal(fast.cells, slow.cells, check_dtype=False)
    key = ["solver", "model", "category"]
    pd.testing.assert_frame_equal(
        fast.extras.sort_values(key).reset_index(drop=True),
        slow.extras.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    assert set(fast.cells.solver) == {"edit", "repair@2"}
    overall = fast.extras[
        (fast.extras.model == "sim/a")
        & (fast.extras.category == "all")
        & (fast.extras.solver == "edit")
    ]
    assert overall[["tests_failed", "timeout", "tampered", "suspect", "other"]].iloc[
        0
    ].tolist() == [2, 1, 1, 1, 1]
    assert (
        standings(fast, draws=200).as_json()
        == standings(read_attempt_frame(path), draws=200).as_json()
    )
