"""The call log's own process (``serve/log_process.py``): rows it writes are the rows
`routr call` writes; closing (what SIGTERM does) writes everything queued; a killed log
process is reported and its calls counted, not silently lost; a killed server's calls
still reach the file."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from router.router_support import cand
from serve_support import wait_for_health

from routr_cli.errors import StoreError
from routr_cli.providers.base import Usage
from routr_cli.router.call_log import get_call, new_call_id, record_for, write_calls
from routr_cli.router.executor import AttemptLog, CallResult
from routr_cli.router.features import RequestFeatures
from routr_cli.router.policy import Decision
from routr_cli.serve.log_writer import CallLogWriter
from routr_cli.store import Store


def a_call(i: int = 0) -> tuple[Decision, CallResult]:
    features = RequestFeatures({"concurrency": 0.7, "bugfix": 0.3}, "go", 120)
    decision = Decision(
        "auto",
        "concurrency",
        features,
        (
            cand("mock/a"),
            cand("other/b")._replace(pass_rate=0.8, ci_low=0.7, ci_high=0.9, n_tasks=40),
        ),
        (),
    )
    attempts = (
        AttemptLog("mock/a", "mock", "error", "ProviderTimeoutError", "slow", 1.23456, None, 2),
        AttemptLog("other/b", "other", "ok", None, "", 0.5, 0.1, 0),
    )
    result = CallResult("ok", "other/b", False, f"answer {i}", Usage(10 + i, 3), 0.0021,
                        attempts, 1.9, ttft_s=0.1)  # fmt: skip
    return decision, result


def count(db: Path) -> int:
    with Store.open(db, read_only=True) as store:
        return int(store.con.execute("SELECT count(*) FROM calls").fetchone()[0])


def test_a_row_written_by_the_log_process_is_the_row_routr_call_writes(tmp_path: Path) -> None:
    decision, result = a_call()
    messages = [("system", "be brief"), ("user", "fix the race")]
    writer = CallLogWriter(tmp_path / "calls.duckdb", interval_s=60.0)
    writer.start()
    call_id = new_call_id()
    writer.submit_call(call_id, decision, result, streamed=True, messages=messages)
    assert writer.flush(20) and writer.written == 1
    with Store.open(tmp_path / "direct.duckdb") as store:
        direct = record_for(call_id, decision, result, source="serve", streamed=True,
                            conversation_id=call_id, messages=messages)  # fmt: skip
        write_calls(store, [direct])
    writer.close()
    with Store.open(tmp_path / "calls.duckdb", read_only=True) as store:
        logged = get_call(store, call_id)
    with Store.open(tmp_path / "direct.duckdb", read_only=True) as store:
        expected = get_call(store, call_id)
    assert abs((logged.pop("created_at") - expected.pop("created_at")).total_seconds()) < 5
    assert logged == expected
    assert logged["candidates"][1]["provider"] == "other" and logged["attempts"][0]["retries"] == 2
    assert logged["prompt"][1] == {"role": "user", "content": "fix the race"}


def test_closing_writes_every_queued_call_long_before_the_interval(tmp_path: Path) -> None:
    """What SIGTERM does after in-flight requests finished: nothing queued is lost."""
    writer = CallLogWriter(tmp_path / "calls.duckdb", batch=64, interval_s=600.0)
    writer.start()
    decision, result = a_call()
    ids = [new_call_id() for _ in range(500)]
    for call_id in ids:
        writer.submit_call(call_id, decision, result, streamed=False, messages=None)
    writer.submit_feedback(ids[-1], "pass")
    began = time.monotonic()
    writer.close()
    assert time.monotonic() - began < 20
    assert writer.written == 500 and writer.dropped == 0
    assert count(tmp_path / "calls.duckdb") == 500
    with Store.open(tmp_path / "calls.duckdb", read_only=True) as store:
        assert get_call(store, ids[-1])["feedback"] == "pass"


def test_a_killed_log_process_is_reported_and_replaced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    writer = CallLogWriter(tmp_path / "calls.duckdb", interval_s=600.0)
    writer.start()
    decision, result = a_call()
    for _ in range(10):
        writer.submit_call(new_call_id(), decision, result, streamed=False, messages=None)
    assert writer.flush(20) and writer.written == 10
    for _ in range(7):  # sent to the process, held there for its next write
        writer.submit_call(new_call_id(), decision, result, streamed=False, messages=None)
    time.sleep(0.5)
    first = writer._child
    assert first is not None
    with caplog.at_level(logging.ERROR, logger="routr.serve"):
        first.proc.kill()
        deadline = time.monotonic() + 10
        while writer._child is first and time.monotonic() < deadline:
            time.sleep(0.05)
    assert writer._child is not first and writer.restarts == 1
    assert writer.dropped == 7  # counted, shown in /metrics
    assert "7 calls it had not written are lost" in caplog.text
    for _ in range(5):  # the new process writes
        writer.submit_call(new_call_id(), decision, result, streamed=False, messages=None)
    writer.close()
    assert writer.written == 15 and count(tmp_path / "calls.duckdb") == 15


def test_a_killed_server_s_calls_still_reach_the_file(tmp_path: Path) -> None:
    """The log process writes what it received when its input ends, whatever ended it."""
    db = tmp_path / "calls.duckdb"
    script = textwrap.dedent(
        f"""
        import os, signal, sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
        from test_serve_log_process import a_call
        from routr_cli.router.call_log import new_call_id
        from routr_cli.serve.log_writer import CallLogWriter
        writer = CallLogWriter({str(db)!r}, interval_s=600.0)
        writer.start()
        decision, result = a_call()
        for _ in range(40):
            writer.submit_call(new_call_id(), decision, result, streamed=False, messages=None)
        time.sleep(0.5)
        print(writer._child.proc.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    server = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, env=dict(os.environ))  # fmt: skip
    assert server.returncode == -signal.SIGKILL, server.stderr
    child = int(server.stdout.split()[0])
    deadline = time.monotonic() + 20
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert count(db) == 40


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"


def test_a_bad_log_path_fails_the_start_up_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "folder.duckdb").mkdir()
    writer = CallLogWriter(tmp_path / "folder.duckdb")
    with pytest.raises(StoreError, match="is a folder, not a database"):
        writer.start()


def test_sigterm_with_two_workers_writes_every_call_to_their_two_files(tmp_path: Path) -> None:
    """Each worker's log process owns its worker's file; SIGTERM to `routr serve` ends
    them all after writing. The provider points at a closed port: failed calls are logged
    too (one row per routed call)."""
    import httpx
    from routr_cli_runner import ROUTR

    config = tmp_path / "routr.toml"
    config.write_text(
        '[providers.mock]\nformat = "openai"\nbase_url = "http://127.0.0.1:1/v1"\n'
        'key_env = "MOCK_API_KEY"\n'
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    env.update({"ROUTR_CONFIG": str(config), "MOCK_API_KEY": "x"})
    logs = tmp_path / "logs"
    server = subprocess.Popen(
        [str(ROUTR), "serve", "--no-auth", "--port", str(port), "--workers", "2",
         "--db", str(tmp_path / "none"), "--log-dir", str(logs)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, server)
        body = {"model": "mock/m", "messages": [{"role": "user", "content": "hi"}]}
        with httpx.Client(timeout=20) as client:  # new connections: both workers serve
            statuses = [
                client.post(url + "/v1/chat/completions", json=body, headers={"connection": "close"})
                .status_code
                for _ in range(30)
            ]  # fmt: skip
        assert all(status in (502, 503) for status in statuses), statuses
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) in (0, -signal.SIGTERM)
    finally:
        if server.poll() is None:
            server.kill()
    files = sorted(logs.glob("calls-*.duckdb"))
    assert len(files) == 2
    assert sum(count(f) for f in files) == 30


def test_a_log_process_that_keeps_dying_is_given_up_on_and_every_call_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No crash loop: after ``MAX_DEATHS`` deaths within a minute the worker stops
    starting log processes, and drops and counts every call (a flush does not hang)."""
    from routr_cli.serve.log_writer import MAX_DEATHS

    writer = CallLogWriter(tmp_path / "calls.duckdb", interval_s=600.0)
    writer.start()
    decision, result = a_call()
    with caplog.at_level(logging.ERROR, logger="routr.serve"):
        for _ in range(MAX_DEATHS):
            child = writer._child
            assert child is not None
            child.proc.kill()
            deadline = time.monotonic() + 20
            while writer._child is child and not writer._broken:
                assert time.monotonic() < deadline
                time.sleep(0.05)
    assert writer._broken and writer.restarts == MAX_DEATHS - 1
    assert "calls from now on are dropped" in caplog.text
    for _ in range(4):
        writer.submit_call(new_call_id(), decision, result, streamed=False, messages=None)
    assert writer.flush(10)
    assert writer.dropped == 4 and writer.written == 0
    writer.close()
