"""`routr serve` as a process and under stress of its lifecycle: a client hanging up
mid-stream cancels the upstream call; SIGTERM finishes what is in flight and flushes the
log; bad start-up options are one line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from routr_cli_runner import ROUTR, run_routr
from serve_support import running, wait_for_health

from routr_cli.router.policy import RoutingTable


class SlowUpstream:
    """An OpenAI-format upstream streaming one chunk every 50 ms (200 chunks: 10 s); it
    records when the gateway closed the connection (a write failed) or the stream ended."""

    def __init__(self, chunks: int = 200) -> None:
        self.aborted = threading.Event()
        self.started = threading.Event()
        self.finished = threading.Event()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                upstream.started.set()
                try:
                    for index in range(chunks):
                        chunk = {"id": "c", "model": "slow", "choices": [
                            {"index": 0, "delta": {"content": f"w{index} "}, "finish_reason": None}
                        ]}  # fmt: skip
                        data = f"data: {json.dumps(chunk)}\n\n".encode()
                        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                        self.wfile.flush()
                        time.sleep(0.05)
                    done = {"id": "c", "model": "slow", "choices": [
                        {"index": 0, "delta": {}, "finish_reason": "stop"}
                    ]}  # fmt: skip
                    for data in (f"data: {json.dumps(done)}\n\n".encode(), b"data: [DONE]\n\n"):
                        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                    upstream.finished.set()
                except (BrokenPipeError, ConnectionResetError):
                    upstream.aborted.set()
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowUpstream]:
    upstream = SlowUpstream()
    monkeypatch.setenv("ROUTR_OPENAI_BASE_URL", upstream.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-slow")
    yield upstream
    upstream.close()


def test_a_client_hanging_up_mid_stream_cancels_the_upstream_call(
    slow: SlowUpstream, make_gateway: Any
) -> None:
    from routr_cli.serve.app import build_app

    gateway = make_gateway(table=RoutingTable({}))
    with running(build_app(gateway)) as url:
        body = {"model": "openai/gpt-4.1", "stream": True,
                "messages": [{"role": "user", "content": "write a long story"}]}  # fmt: skip
        with (
            httpx.Client(timeout=10) as client,
            client.stream("POST", url + "/v1/chat/completions", json=body) as response,
        ):
            assert response.status_code == 200
            for line in response.iter_lines():
                if "w3 " in line:
                    break  # hang up after a few chunks
        assert slow.aborted.wait(5), "the upstream stream was not cancelled"
        metrics = httpx.get(url + "/metrics").text
        assert 'status="cancelled"' in metrics
        # nothing leaked: the next call works
        again = httpx.post(
            url + "/v1/chat/completions",
            json={"model": "openai/gpt-4.1", "messages": [{"role": "user", "content": "hi"}]},
            timeout=20,
        )
        assert again.status_code in (200, 504)


def test_control_without_the_disconnect_watch_the_upstream_streams_on(
    make_gateway: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control for the test above: uvicorn drops what is sent after a client left, so
    without ``WatchedStream`` the gateway goes on pulling (and paying for) the answer."""
    import routr_cli.serve.app as app_module
    from routr_cli.serve.app import build_app

    class Unwatched:
        def __init__(self, receive: Any) -> None:
            pass

        def done(self) -> None:
            pass

        def close(self) -> None:
            pass

        def absorbed(self) -> bool:
            return False

    monkeypatch.setattr(app_module, "WatchedStream", Unwatched)
    upstream = SlowUpstream(chunks=30)  # 1.5 s
    monkeypatch.setenv("ROUTR_OPENAI_BASE_URL", upstream.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-slow")
    try:
        with running(build_app(make_gateway(table=RoutingTable({})))) as url:
            body = {"model": "openai/gpt-4.1", "stream": True,
                    "messages": [{"role": "user", "content": "write a long story"}]}  # fmt: skip
            with (
                httpx.Client(timeout=10) as client,
                client.stream("POST", url + "/v1/chat/completions", json=body) as response,
            ):
                for line in response.iter_lines():
                    if "w3 " in line:
                        break
            assert upstream.finished.wait(10) and not upstream.aborted.is_set()
    finally:
        upstream.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sigterm_finishes_in_flight_calls_and_flushes_the_log(
    slow: SlowUpstream, tmp_path: Path
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    env.update({"ROUTR_OPENAI_BASE_URL": slow.url + "/v1", "OPENAI_API_KEY": "sk-test-slow"})
    server = subprocess.Popen(
        [str(ROUTR), "serve", "--no-auth", "--port", str(port), "--db", str(tmp_path / "none"),
         "--log-dir", str(tmp_path / "logs")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for_health(f"http://127.0.0.1:{port}", server, timeout_s=20)
        result: dict[str, Any] = {}

        def call() -> None:
            response = httpx.post(
                f"http://127.0.0.1:{port}/v1/chat/completions",
                json={"model": "openai/gpt-4.1", "messages": [{"role": "user", "content": "hi"}],
                      "stream": True},
                timeout=30,
            )  # fmt: skip
            result["status"] = response.status_code
            result["body"] = response.text

        worker = threading.Thread(target=call)
        worker.start()
        assert slow.started.wait(10)
        server.send_signal(signal.SIGTERM)
        worker.join(30)
        # uvicorn re-raises the signal once it has shut down gracefully, so the status says
        # "ended by SIGTERM" (as bench's 143 does) -- after the drain and the log flush.
        assert server.wait(30) in (0, -signal.SIGTERM)
    finally:
        if server.poll() is None:
            server.kill()
    assert result["status"] == 200 and result["body"].rstrip().endswith("data: [DONE]")
    assert "w199" in result["body"]  # the whole answer, not a cut one
    shown = run_routr("calls", "list", "--db", tmp_path / "logs" / "calls.duckdb", "--json")
    assert shown.returncode == 0, shown.stderr
    assert len(json.loads(shown.stdout)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "--port 99999"),
        (["--host", "0.0.0.0", "--no-auth"], "only allowed on loopback"),
        ([], "no API keys"),
        (["--keys-file", "/nonexistent/keys"], "cannot read keys file"),
    ],
)
def test_bad_start_up_options_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    shown = run_routr("serve", *args, "--log-dir", tmp_path / "logs")
    assert shown.returncode == 2
    assert message in shown.stderr and len(shown.stderr.strip().splitlines()) == 1
