"""`routr call` and `routr serve` read the standings through the summary DuckDB folds
(read_attempt_summary), not the attempt frame: the same routing table, cheaper."""

from __future__ import annotations

from pathlib import Path

import pytest
from routing_db import write_bench_db

from routr_cli.ranking import standings
from routr_cli.router import session
from routr_cli.store import frame as store_frame


def test_the_summary_path_gives_the_frame_path_s_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = write_bench_db(tmp_path / "r.duckdb")
    frame = store_frame.read_attempt_frame(db)
    summary = store_frame.read_attempt_summary(db)
    assert standings(summary, draws=400).as_json() == standings(frame, draws=400).as_json()
    slow = session.fit_routing_table(frame)
    assert set(slow.slices) == {"all", "concurrency", "data-processing"}  # not trivially equal

    def no_frame(*_: object, **__: object) -> None:
        raise AssertionError("load_table read every attempt (the slow path)")

    monkeypatch.setattr(store_frame, "read_attempt_frame", no_frame)
    assert session.load_table(db) == slow
