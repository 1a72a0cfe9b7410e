"""Budgets hold: ``--max-cost`` stops before the spend could pass it (exit 6), resume
with a higher limit completes, and ``--dry-run`` prints the plan calling nothing."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from routr_cli_runner import run_routr

from routr_cli.bench.estimate import estimate_usage
from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.load import load_task
from routr_cli.text import plural

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"
ARGS = ("-m", "sim/frontier", "--tasks", str(FIXTURES), "--epochs", "3", "--sim-latency", "0")


def _spent(db: Path) -> tuple[int, float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        count, cost = con.execute("SELECT count(*), sum(cost_usd) FROM attempts").fetchone()
    finally:
        con.close()
    return int(count), float(cost or 0.0)


def test_the_estimate_counts_repo_prompt_answer_and_turns() -> None:
    task = load_task(FIXTURES / "good-py-slug")
    one = estimate_usage(task, 1)
    two = estimate_usage(task, 2)
    repo_chars = sum(len(t) for t in task.repo_files().values())
    assert one.input_tokens > (repo_chars + len(task.prompt)) // 4
    assert one.output_tokens > 0
    assert two.output_tokens == 2 * one.output_tokens  # repair answers twice
    assert two.input_tokens > 2 * one.input_tokens  # and resends the conversation


def test_dry_run_prints_the_plan_and_touches_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    # No Docker engine and no network are needed: a dry run starts and calls nothing.
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock", "OPENAI_API_KEY": "sk-x-dry"}
    result = run_routr("bench", *ARGS, "-m", "openai/gpt-4.1", "--db", db, "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"sim/frontier \(simulated\)\s+6\s+[\d,]+\s+[\d,]+\s+\$\d+\.\d{4}", out)
    assert re.search(r"openai/gpt-4\.1\s+6\s+", out)
    assert "12 attempts to run, 0 attempts already recorded" in out
    assert "nothing was called" in out
    assert not db.exists()  # nothing written either
    missing_key = run_routr("bench", *ARGS, "-m", "openai/gpt-4.1", "--db", db, "--dry-run")
    assert missing_key.returncode == 2  # the same checks as a real run
    assert "OPENAI_API_KEY" in missing_key.stderr


@pytest.mark.docker
def test_max_cost_never_overshoots_exits_6_and_a_higher_limit_resumes(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    limit = 0.02  # about two and a half attempts' estimates of sim/frontier here
    stopped = run_routr("bench", *ARGS, "--jobs", "2", "--db", db, "--max-cost", str(limit),
                        env={"ROUTR_REPORTS": str(tmp_path)}, timeout=300)  # fmt: skip
    assert stopped.returncode == 6, stopped.stderr
    last = stopped.stderr.strip().splitlines()[-1]
    assert last.startswith("error: --max-cost $0.0200 reached")
    assert "not started (resume with a higher --max-cost)" in last
    count, spent = _spent(db)
    assert 1 <= count < 6
    assert spent <= limit  # never past the limit, in flight included
    # the dry run now shows what is left
    plan = run_routr("bench", *ARGS, "--db", db, "--dry-run")
    assert f"{plural(6 - count, 'attempt')} to run, {plural(count, 'attempt')} already" in (
        plan.stdout
    )
    done = run_routr("bench", *ARGS, "--db", db, "--max-cost", "1",
                     env={"ROUTR_REPORTS": str(tmp_path)}, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _spent(db)[0] == 6


@pytest.mark.docker
def test_a_changed_seed_is_never_silently_skipped(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    args = ("bench", "-m", "sim/swift", "--tasks", FIXTURES, "--task", "good-py-slug",
            "--sim-latency", "0", "--db", db)  # fmt: skip
    first = run_routr(*args, timeout=300)
    assert first.returncode == 0, first.stderr
    for extra in ((), ("--dry-run",)):
        other = run_routr(*args, "--seed", "7", *extra)
        assert other.returncode == 2, other.stderr
        assert other.stderr == (
            "error: this database holds 1 attempt of sim/swift made with --seed 0 (this "
            "run: --seed 7): pass --seed 0 to resume, or --db OTHER for a run with "
            "another seed\n"
        )
    assert _spent(db)[0] == 1
    same = run_routr(*args, "--seed", "0", timeout=300)  # control: the same seed resumes
    assert same.returncode == 0 and "1 attempt already recorded" in same.stderr
