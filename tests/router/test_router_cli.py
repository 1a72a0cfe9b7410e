"""`routr call`, `routr calls` and `routr feedback` as a user runs them (subprocess, real
DuckDB file, the simulated models over real HTTP started by the command itself)."""

from __future__ import annotations

import json
from pathlib import Path

from providers.fake_vendor_server import FakeVendor, Reply
from router_support import FAKE_KEY
from routr_cli_runner import run_routr

SIM = ("--sim-latency", "0")


def calls_json(db: Path) -> list[dict[str, object]]:
    listed = run_routr("calls", "list", "--json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    rows: list[dict[str, object]] = json.loads(listed.stdout)
    return rows


def show(db: Path, call_id: str) -> dict[str, object]:
    shown = run_routr("calls", "show", call_id, "--json", "--db", db)
    assert shown.returncode == 0, shown.stderr
    row: dict[str, object] = json.loads(shown.stdout)
    return row


def test_explicit_chain_streams_the_sim_answer_and_logs_without_content(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    done = run_routr(
        "call", "-m", "sim/swift,sim/budget", "--category", "bugfix", "--explain",
        "Fix the off-by-one in my loop", "--db", db, *SIM,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("sim/swift (simulated) answering.")
    assert "served by sim/swift (simulated)" in done.stderr
    assert "1. sim/swift (simulated)" in done.stderr and "your first choice" in done.stderr
    (row,) = calls_json(db)
    assert row["served_model"] == "sim/swift" and row["status"] == "ok"
    assert row["category"] == "bugfix" and row["objective"] == "sim/swift,sim/budget"
    full = show(db, str(row["id"]))
    assert full["prompt"] is None and full["answer"] is None  # content is opt-in
    assert full["streamed"] is True and full["ttft_s"] is not None
    attempts = full["attempts"]
    assert isinstance(attempts, list) and attempts[0]["status"] == "ok"
    assert "Fix the off-by-one" not in db.read_bytes().decode("latin-1")


def test_log_content_continue_and_stdin(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    first = run_routr(
        "call", "-m", "sim/frontier", "--category", "feature", "--no-stream", "-s", "Be brief.",
        "first question", "--db", db, *SIM, env={"ROUTR_LOG_CONTENT": "1"},
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    second = run_routr(
        "call", "-m", "sim/frontier", "--category", "feature", "-c", "--log-content",
        "--db", db, *SIM, input_text="second question",
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    newest, oldest = calls_json(db)
    row = show(db, str(newest["id"]))
    roles = [m["role"] for m in row["prompt"]]  # type: ignore[union-attr]
    assert roles == ["system", "user", "assistant", "user"]
    assert row["prompt"][-1]["content"] == "second question"  # type: ignore[index]
    assert str(row["answer"]).startswith("sim/frontier (simulated)")
    assert row["conversation_id"] == show(db, str(oldest["id"]))["conversation_id"]


def test_feedback_stats_and_their_errors(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    assert (
        run_routr(
            "call", "-m", "sim/swift", "--category", "bugfix", "hi", "--db", db, *SIM
        ).returncode
        == 0
    )
    (row,) = calls_json(db)
    graded = run_routr("feedback", str(row["id"]), "--fail", "--db", db)
    assert graded.returncode == 0 and "fail recorded for sim/swift (simulated)" in graded.stdout
    assert show(db, str(row["id"]))["feedback"] == "fail"
    both = run_routr("feedback", str(row["id"]), "--pass", "--fail", "--db", db)
    unknown = run_routr("feedback", "call-nope", "--pass", "--db", db)
    for bad in (both, unknown):
        assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "routr calls list" in unknown.stderr
    stats = json.loads(run_routr("calls", "stats", "--json", "--db", db).stdout)
    assert stats[0]["model"] == "sim/swift" and stats[0]["served"] == 1 and stats[0]["errors"] == 0
    table = run_routr("calls", "stats", "--db", db)
    assert table.returncode == 0 and "sim/swift (simulated)" in table.stdout


def test_bad_input_is_one_line_and_nothing_is_called(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    cases = [
        ("call", "hello", "--db", db),  # auto with no standings to route by
        ("call", "-m", "gpt-4.1", "hello", "--db", db),  # not provider/model
        ("call", "-m", "sim/swift", "--max-price", "cheap", "hello", "--db", db),
        ("call", "-m", "sim/swift", "   ", "--db", db),
        ("call", "-m", "sim/swift", "-c", "hello", "--db", db),  # nothing to continue
        ("call", "-m", "sim/swift", "--max-price", "0.01", "x", "--db", db),  # over the ceiling
    ]
    for args in cases:
        done = run_routr(*args, "--category", "bugfix", *SIM)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert not db.exists()  # nothing was called, nothing logged


def test_dry_run_decides_without_calling(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    done = run_routr(
        "call", "-m", "sim/budget,sim/swift", "--category", "bugfix", "--dry-run", "--json",
        "hello", "--db", db,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    assert [c["model"] for c in decision["candidates"]] == ["sim/budget", "sim/swift"]
    assert decision["candidates"][0]["expected_cost_usd"] > 0
    assert not db.exists()


def test_provider_failure_is_a_clean_error_logged_without_the_key(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    with FakeVendor() as vendor:
        vendor.script(
            Reply.status_error(401, {"error": {"message": f"Incorrect API key {FAKE_KEY}"}})
        )
        env = {"ROUTR_OPENAI_BASE_URL": vendor.url + "/v1", "OPENAI_API_KEY": FAKE_KEY}
        done = run_routr(
            "call", "-m", "openai/gpt-4.1", "--category", "bugfix", "hi", "--db", db, env=env
        )
    assert done.returncode == 5
    assert done.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "authentication failed" in done.stderr and "OPENAI_API_KEY" in done.stderr
    (row,) = calls_json(db)
    assert row["status"] == "error" and row["error_class"] == "AuthenticationError"
    assert row["served_model"] is None and row["cost_usd"] is None
    for blob in (done.stdout, done.stderr, db.read_bytes().decode("latin-1")):
        assert FAKE_KEY not in blob


def test_a_cut_stream_exits_non_zero_after_the_partial_text(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    with FakeVendor() as vendor:
        vendor.script(Reply(kind="cut", events_before_fault=4))
        env = {"ROUTR_OPENAI_BASE_URL": vendor.url + "/v1", "OPENAI_API_KEY": FAKE_KEY}
        done = run_routr(
            "call", "-m", "openai/gpt-4.1", "--category", "bugfix", "hi", "--db", db, env=env
        )
    assert done.returncode == 5
    assert done.stdout.startswith("Hello from") and "vendor." not in done.stdout
    assert "incomplete" in done.stderr


def test_terminal_controls_in_an_answer_are_shown_not_obeyed(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    hostile = ("Done.", "\x1b]0;pwned\x07", "\x1b[2J", " \u202eevil")
    with FakeVendor() as vendor:
        env = {"ROUTR_OPENAI_BASE_URL": vendor.url + "/v1", "OPENAI_API_KEY": FAKE_KEY}
        args = ("call", "-m", "openai/gpt-4.1", "--category", "bugfix", "hi", "--db", db)
        vendor.script(Reply(parts=hostile), Reply(parts=hostile), Reply(parts=hostile))
        raw = run_routr(*args, "--json", env=env)
        streamed = run_routr(*args, env=env)
        whole = run_routr(*args, "--no-stream", "--log-content", env=env)
    # control: the model really sent the sequences (JSON carries them exactly)
    assert json.loads(raw.stdout)["text"] == "".join(hostile)
    for done in (streamed, whole):
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
        assert "\\x1b]0;pwned\\x07" in done.stdout and "\\u202e" in done.stdout
    newest = calls_json(db)[0]
    shown = run_routr("calls", "show", str(newest["id"]), "--db", db)
    assert "\x1b" not in shown.stdout and "\\x1b[2J" in shown.stdout
