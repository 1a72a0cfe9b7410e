from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from routr_cli.store.records import AttemptRecord, AttemptTestRow, CacheEntry


def _attempt_columns_at(version: int) -> set[str]:
    """The attempts table's columns after migrations 1..``version``: what an older routr
    wrote, so upgrade tests need not list each later migration's columns by hand."""
    import duckdb

    from routr_cli.store import migrations

    con = duckdb.connect(":memory:")
    try:
        for migration in migrations()[:version]:
            con.execute(migration.sql)
        rows = con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'attempts'"
        ).fetchall()
    finally:
        con.close()
    return {row[0] for row in rows}


def _attempt(key: str, **overrides: Any) -> AttemptRecord:
    fields: dict[str, Any] = dict(
        attempt_key=key,
        run_id="run-1",
        task_id="py-task",
        task_hash="h" * 64,
        category="bugfix",
        model="sim/alpha",
        provider="sim",
        simulated=True,
        solver="edit",
        solver_params={"max_turns": 1},
        epoch=0,
        status="solved",
        solved=True,
        score=1.0,
        reason=None,
        error_message=None,
        turns=1,
        first_turn_solved=True,
        input_tokens=100,
        output_tokens=50,
        cached_input_tokens=0,
        cache_write_tokens=0,
        reasoning_tokens=0,
        cost_usd=0.001,
        provider_cost_usd=None,
        latency_s=0.5,
        grade_duration_s=1.5,
        timed_out=False,
        cached_responses=0,
        transcript=[{"role": "user", "content": "fix it"}],
        created_at=datetime(2026, 1, 1, 12, 0, 0),
        tests=(AttemptTestRow("t::a", "passed", 0.1), AttemptTestRow("t::b", "passed", 0.2)),
        new_cache_entries=(CacheEntry(f"cache-{key}", "sim/alpha", {"text": "x"}),),
    )
    fields.update(overrides)
    return AttemptRecord(**fields)


@pytest.fixture
def make_attempt() -> Callable[..., AttemptRecord]:
    """Build a complete AttemptRecord; keyword arguments override fields."""
    return _attempt


@pytest.fixture
def attempt_columns_at() -> Callable[[int], set[str]]:
    """The attempts table's columns after migrations 1..N (what an older routr wrote)."""
    return _attempt_columns_at
