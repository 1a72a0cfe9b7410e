from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from routr_cli_runner import run_routr

from routr_cli.store import AttemptRecord, Store
from routr_cli.store.records import TaskSnapshot
from routr_cli.store.write import record_attempt, save_snapshots


def _attempt(key: str, model: str, category: str, solved: bool) -> AttemptRecord:
    return AttemptRecord(
        attempt_key=key, run_id="r", task_id=f"t-{key}", task_hash=key, category=category,
        model=model, provider=model.split("/")[0], simulated=model.startswith("sim/"),
        solver="edit", solver_params={}, epoch=0, status="solved" if solved else "failed",
        solved=solved, score=1.0 if solved else 0.0, reason=None, error_message=None, turns=1,
        first_turn_solved=solved, input_tokens=1000, output_tokens=100, cached_input_tokens=0,
        cache_write_tokens=0, reasoning_tokens=0, cost_usd=0.01, provider_cost_usd=None,
        latency_s=1.5, grade_duration_s=2.0, timed_out=False, cached_responses=0,
        transcript=[], created_at=datetime(2026, 1, 1),
    )  # fmt: skip


_routr = run_routr


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        outcomes = [
            ("sim/strong", "bugfix", True), ("sim/strong", "feature", True),
            ("sim/strong", "feature", False), ("openai/gpt-x", "bugfix", False),
            ("openai/gpt-x", "feature", True),
        ]  # fmt: skip
        for i, (model, category, solved) in enumerate(outcomes):
            record_attempt(store, _attempt(f"k{i}", model, category, solved))
            save_snapshots(
                store, [TaskSnapshot(f"k{i}", f"t-k{i}", "T", category, "python", "easy", 1, 1)]
            )
    return path


def test_rank_json_lists_models_overall_and_per_category(tmp_path: Path) -> None:
    result = _routr("rank", "--db", str(_db(tmp_path)), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    overall = [row for row in data if row["category"] == "all"]
    assert [row["model"] for row in overall] == ["sim/strong", "openai/gpt-x"]
    strong = overall[0]
    assert (strong["attempts"], strong["solved"], strong["simulated"]) == (3, 2, True)
    assert strong["cost_per_solved"] == 0.015
    assert 0 < strong["ci_low"] < strong["pass_rate"] < strong["ci_high"] <= 1
    assert {row["category"] for row in data} == {"all", "bugfix", "feature"}

    only = json.loads(
        _routr("rank", "--db", str(tmp_path / "r.duckdb"), "--json", "--category", "bugfix").stdout
    )
    assert {row["category"] for row in only} == {"bugfix"}
    assert [row["model"] for row in only] == ["sim/strong", "openai/gpt-x"]


def test_rank_table_labels_simulated_models(tmp_path: Path) -> None:
    result = _routr("rank", "--db", str(_db(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "sim/strong (simulated)" in result.stdout
    assert "openai/gpt-x (simulated)" not in result.stdout
    assert "67%" in result.stdout


def test_rank_without_a_database_or_attempts_is_one_line(tmp_path: Path) -> None:
    missing = _routr("rank", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 4
    assert missing.stderr.strip().count("\n") == 0 and "routr bench" in missing.stderr
    Store.open(tmp_path / "empty.duckdb").close()
    empty = _routr("rank", "--db", str(tmp_path / "empty.duckdb"))
    assert empty.returncode == 2 and "no attempts" in empty.stderr
