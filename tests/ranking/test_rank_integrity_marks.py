"""`routr rank` shows each model's tampered and suspect attempt counts in its marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from routr_cli_runner import run_routr

from routr_cli.store import Store
from routr_cli.store.records import AttemptRecord, TaskSnapshot
from routr_cli.store.write import record_attempt, save_snapshots


def _attempt(key: str, model: str, epoch: int, **fields: Any) -> AttemptRecord:
    from datetime import datetime

    base: dict[str, Any] = dict(
        attempt_key=key, run_id="r", task_id="py-task", task_hash="h" * 16, category="bugfix",
        model=model, provider="x", simulated=False, solver="edit", solver_params={},
        epoch=epoch, status="solved", solved=True, score=1.0, reason=None, error_message=None,
        turns=1, first_turn_solved=True, input_tokens=1, output_tokens=1,
        cached_input_tokens=0, cache_write_tokens=0, reasoning_tokens=0, cost_usd=0.001,
        provider_cost_usd=None, latency_s=0.5, grade_duration_s=1.0, timed_out=False,
        cached_responses=0, transcript=[], created_at=datetime(2026, 1, 1),
    )  # fmt: skip
    base.update(fields)
    return AttemptRecord(**base)


def test_rank_marks_show_tampered_and_suspect_counts(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    with Store.open(db) as store:
        save_snapshots(
            store, [TaskSnapshot("h" * 16, "py-task", "t", "bugfix", "python", "easy", 1, 1)]
        )
        record_attempt(store, _attempt("a0", "x/a", 0, status="suspect", solved=False,
                                      reason="suspect", suspect=True))  # fmt: skip
        record_attempt(store, _attempt("a1", "x/a", 1, status="failed", solved=False,
                                      reason="tampered", score=0.0))  # fmt: skip
        record_attempt(store, _attempt("a2", "x/a", 2, status="failed", solved=False,
                                      reason="tampered", score=0.0))  # fmt: skip
        record_attempt(store, _attempt("b0", "x/b", 0))
    result = run_routr("rank", "--db", db, env={"COLUMNS": "250"})
    assert result.returncode == 0, result.stderr
    line_a = next(line for line in result.stdout.splitlines() if "x/a" in line)
    line_b = next(line for line in result.stdout.splitlines() if "x/b" in line)
    assert "2 tampered, 1 suspect" in line_a and "0%" in line_a
    assert "tampered" not in line_b and "suspect" not in line_b
