"""What the progress line tells a person watching a bench: done and left, the pass
rate so far, the spend so far, and the time left."""

from __future__ import annotations

import io
from datetime import datetime

from routr_cli.bench.progress import PlainProgress, summary_line
from routr_cli.bench.runner import RunTotals
from routr_cli.store.records import AttemptRecord


def _record(status: str) -> AttemptRecord:
    return AttemptRecord(
        attempt_key="k", run_id="r", task_id="py-task", task_hash="h", category="bugfix",
        model="sim/frontier", provider="sim", simulated=True, solver="edit", solver_params={},
        epoch=1, status=status, solved=status == "solved", score=1.0, reason=None,
        error_message=None, turns=1, first_turn_solved=True, input_tokens=1, output_tokens=1,
        cached_input_tokens=0, cache_write_tokens=0, reasoning_tokens=0, cost_usd=0.0,
        provider_cost_usd=None, latency_s=0.1, grade_duration_s=0.1, timed_out=False,
        cached_responses=0, transcript=[], created_at=datetime(2026, 1, 1),
    )  # fmt: skip


def test_summary_line_before_any_attempt_has_no_rate_or_eta() -> None:
    assert summary_line(RunTotals(total=8)) == ("0/8 done, 8 left, pass -, spend $0.0000, eta ?")


def test_summary_line_shows_done_left_rate_spend_and_eta() -> None:
    totals = RunTotals(total=10, done=4, solved=3, spend_usd=0.01234)
    totals.started_at -= 120  # 4 attempts in 2 minutes: 6 left take 3 more
    line = summary_line(totals)
    assert line.startswith("4/10 done, 6 left, pass 75%, spend $0.0123, eta ")
    eta = line.rsplit("eta ", 1)[1]
    minutes, seconds = eta.rstrip("s").split("m")
    assert 179 <= int(minutes) * 60 + int(seconds) <= 181


def test_plain_progress_writes_one_greppable_line_per_attempt() -> None:
    out = io.StringIO()
    progress = PlainProgress(out)
    totals = RunTotals(total=2, done=1, solved=0)
    progress.attempt_done(_record("malformed_edit"), totals)
    progress.note("a note")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(
        "[1/2] py-task e1 sim/frontier (simulated): malformed_edit | 1/2 done, 1 left"
    )
    assert "pass 0%" in lines[0] and "\x1b" not in out.getvalue()
    assert lines[1] == "a note"
