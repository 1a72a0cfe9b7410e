"""`routr rank`, `routr compare` and `routr recommend` on a real DuckDB file, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ranking_testkit import attempt_record
from routr_cli_runner import run_routr

from routr_cli.store import Store
from routr_cli.store.records import TaskSnapshot
from routr_cli.store.write import record_attempt, save_snapshots

CONTRACT_RANK_FIELDS = {
    "model", "category", "solver", "pass_rate", "ci_low", "ci_high", "n_tasks", "epochs",
    "coverage", "rank_ub", "rank_low", "rank_high", "tie_group", "p_top1", "p_top3",
    "cost_per_solved", "cost_ci_low", "cost_ci_high", "best_value", "dominated", "simulated",
    "rank", "bt_score", "bt_ci_low", "bt_ci_high", "total_cost", "latency_p50_s",
    "latency_p90_s", "failure_shares", "tampered", "suspect", "newest_attempt",
}  # fmt: skip
CONTRACT_COMPARE_FIELDS = {
    "a", "b", "category", "n_shared", "diff", "diff_ci_low", "diff_ci_high", "wins", "ties",
    "losses", "p_value", "winner", "verdict", "solver", "pass_a", "ci_a_low", "ci_a_high",
    "pass_b", "ci_b_low", "ci_b_high", "q_value", "test", "mde", "tasks_needed", "cost_ratio",
    "latency_ratio", "only_a", "only_b", "both", "neither", "simulated", "newest_attempt",
}  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database for the read-only tests (building it is the slow part)."""
    return _db(tmp_path_factory.mktemp("rank"))


def _db(tmp_path: Path, *, partial: bool = True) -> Path:
    path = tmp_path / "r.duckdb"
    with Store.open(path) as store:
        save_snapshots(
            store,
            [
                TaskSnapshot(
                    f"h{t:02d}",
                    f"t{t:02d}",
                    "T",
                    ("bugfix", "feature")[t % 2],
                    "python",
                    "easy",
                    1,
                    1,
                )
                for t in range(30)
            ],
        )
        for t in range(30):
            record_attempt(store, attempt_record("sim/strong", t, t % 10 != 0))
            record_attempt(store, attempt_record("sim/weak", t, t % 3 == 0, cost_usd=0.002))
            record_attempt(store, attempt_record("sim/strong", t, True, solver="repair"))
            record_attempt(
                store,
                attempt_record(
                    "x/down", t, False, status="provider_error", reason=None, cost_usd=0.0
                ),
            )
            if partial and t < 12:
                record_attempt(store, attempt_record("sim/partial", t, t % 2 == 0))
    return path


def test_rank_json_carries_every_contract_field_and_never_pools_solvers(db: Path) -> None:
    result = run_routr("rank", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert all(set(row) >= CONTRACT_RANK_FIELDS for row in data)
    overall = [r for r in data if r["category"] == "all" and r["solver"] == "edit"]
    assert [r["model"] for r in overall] == ["sim/strong", "sim/partial", "sim/weak", "x/down"]
    strong = overall[0]
    assert (strong["pass_rate"], strong["n_tasks"], strong["epochs"], strong["rank"]) == (
        0.9,
        30,
        1,
        1,
    )
    assert strong["cost_per_solved"] == pytest.approx(0.30 / 27)
    assert {r["solver"] for r in data} == {"edit", "repair@2"}
    down = overall[-1]
    assert down["rank"] is None and down["pass_rate"] is None  # listed, unranked
    assert "different task sets" in result.stderr and "sim/partial" in result.stderr


def test_rank_table_shows_ties_solvers_and_simulated_labels(db: Path) -> None:
    result = run_routr("rank", "--db", db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sim/strong (simulated)" in out and "x/down (simulated)" not in out
    assert "solver edit (pass@1)" in out and "solver repair@2 (repair@2)" in out
    assert "no graded attempts" in out and "30 x 1" in out
    assert "statistically tied" in out


def test_rank_accepts_shown_solver_names_and_any_case_category(db: Path) -> None:
    repair = json.loads(run_routr("rank", "--db", db, "--json", "--solver", "repair@2").stdout)
    assert {r["solver"] for r in repair} == {"repair@2"} and repair[0]["pass_rate"] == 1.0
    bugfix = json.loads(run_routr("rank", "--db", db, "--json", "--category", "BugFix").stdout)
    assert {r["category"] for r in bugfix} == {"bugfix"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["--category", "bugfx"],
            "unknown category 'bugfx' (did you mean bugfix?); known: bugfix, feature",
        ),
        (["--solver", "agent"], "no attempts with solver 'agent'; recorded: edit, repair@2"),
    ],
)
def test_rank_bad_input_is_one_line(db: Path, args: list[str], needle: str) -> None:
    result = run_routr("rank", "--db", db, *args)
    assert result.returncode == 2
    assert needle in result.stderr and result.stderr.strip().count("\n") == 0


def test_rank_csv_and_markdown(tmp_path: Path) -> None:
    import csv
    import io

    db = _db(tmp_path, partial=False)
    text = run_routr("rank", "--db", db, "--format", "csv", "--solver", "edit").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["model"] == "sim/strong" and rows[0]["pass_rate"] == "0.9"
    assert {r["category"] for r in rows} == {"all", "bugfix", "feature"}
    md = run_routr("rank", "--db", db, "--format", "markdown", "--category", "all").stdout
    assert md.splitlines()[0].startswith("| rank | tie_group | model |")
    assert "| sim/strong (simulated) |" in md


def test_rank_without_a_database_or_attempts_is_one_line(tmp_path: Path) -> None:
    missing = run_routr("rank", "--db", tmp_path / "none.duckdb")
    assert missing.returncode == 4
    assert missing.stderr.strip().count("\n") == 0 and "routr bench" in missing.stderr
    Store.open(tmp_path / "empty.duckdb").close()
    empty = run_routr("rank", "--db", tmp_path / "empty.duckdb")
    assert empty.returncode == 2 and "no attempts" in empty.stderr


def test_compare_json_and_the_regression_gate(db: Path) -> None:
    result = run_routr("compare", "sim/strong", "sim/weak", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT_COMPARE_FIELDS
    assert data["winner"] == "sim/strong" and data["diff_ci_low"] > 0 and data["n_shared"] == 30
    assert data["test"] == "mcnemar-exact"
    # The gate fails only when NEW is significantly worse than BASELINE.
    worse = run_routr("compare", "sim/weak", "sim/strong", "--db", db, "--fail-if-worse")
    assert worse.returncode == 1 and "significantly worse" in worse.stderr
    assert "sim/strong is better than sim/weak" in worse.stdout
    noise = run_routr("compare", "sim/partial", "sim/strong", "--db", db, "--fail-if-worse")
    assert noise.returncode == 0 and "12 shared tasks (up to 1 epoch each)" in noise.stdout
    typo = run_routr("compare", "sim/strong", "sim/weka", "--db", db)
    assert typo.returncode == 2 and "did you mean sim/weak?" in typo.stderr


def test_compare_all_stores_results_for_the_site(tmp_path: Path) -> None:
    from routr_cli.store.comparisons import read_comparisons

    db = _db(tmp_path)
    result = run_routr("compare", "--all", "--db", db, "--draws", "200")
    assert result.returncode == 0, result.stderr
    stored = read_comparisons(db)
    # edit: 4 models -> 6 pairs x 3 slices; repair@2 has one model -> no pairs
    assert len(stored) == 18
    assert all((c.q_value is None) == (c.n_shared == 0) for c in stored)  # x/down shares none
    assert f"{len(stored)} comparisons stored" in result.stdout
    again = run_routr("compare", "--all", "--db", db, "--draws", "200")
    assert again.returncode == 0 and len(read_comparisons(db)) == 18  # replaced, not appended
    both = run_routr("compare", "sim/a", "--all", "--db", db)
    assert both.returncode == 2


def test_recommend_json_and_text(db: Path) -> None:
    result = run_routr("recommend", "fix the wrong rounding bug", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"categories", "language", "recommendations", "fallback"}
    assert data["categories"][0]["category"] == "bugfix" and not data["fallback"]
    # bugfix = even tasks: sim/partial solved all 6 it has, sim/strong 12 of 15
    assert [p["model"] for p in data["recommendations"]] == [
        "sim/partial",
        "sim/strong",
        "sim/weak",
    ]
    text = run_routr(
        "recommend", "fix the wrong rounding bug", "--db", db, "--exclude-provider", "sim"
    )
    assert text.returncode == 0 and "no model meets the constraints" in text.stdout
    assert "excluded x/down: no graded attempts" in text.stdout
