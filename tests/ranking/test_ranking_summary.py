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


def test_a_model_with_no_graded_latency_has_no_quantiles_on_either_path(tmp_path: Path) -> None:
    # DuckDB returns both quantiles as one list; a group without a graded attempt gets NULL.
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        save_snapshots(store, [TaskSnapshot("h00", "t00", "T", "bugfix", "go", "easy", 1, 1)])
        record_attempt(store, attempt_record("x/down", 0, False, status="provider_error"))
        record_attempt(store, attempt_record("sim/a", 0, True, latency_s=3.0))
    fast = read_attempt_summary(path).extras.sort_values(["model", "category"])
    slow = summarise(read_attempt_frame(path)).extras.sort_values(["model", "category"])
    pd.testing.assert_frame_equal(
        fast.reset_index(drop=True), slow.reset_index(drop=True), check_dtype=False
    )
    down = fast[fast.model == "x/down"]
    assert down.p50.isna().all() and down.p90.isna().all()
    assert fast[fast.model == "sim/a"].p90.tolist() == [3.0, 3.0]


def test_cost_and_latency_sums_do_not_depend_on_the_order_rows_are_added(tmp_path: Path) -> None:
    # A parallel DOUBLE sum adds rows in whatever order DuckDB's threads take them, so a
    # published cost could change in its last digit between two runs of `routr rank`.
    # The fold sums exactly (DECIMAL): 0.1 + 0.2 is 0.3 in any order.
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        save_snapshots(store, [TaskSnapshot("h00", "t00", "T", "bugfix", "go", "easy", 1, 1)])
        for epoch, cost in enumerate((0.1, 0.2)):
            record_attempt(
                store,
                attempt_record(
                    "sim/a", 0, True, epoch=epoch, attempt_key=f"k{epoch}", cost_usd=cost,
                    latency_s=cost,
                ),
            )  # fmt: skip
        plain = store.con.execute("SELECT sum(cost_usd) FROM attempts").fetchone()[0]
    assert plain == 0.1 + 0.2 != 0.3  # the control: a DOUBLE sum carries the rounding
    cells = read_attempt_summary(path).cells
    assert cells.cost.tolist() == [0.3] and cells.latency.tolist() == [0.3]
