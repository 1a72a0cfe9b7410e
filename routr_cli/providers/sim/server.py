"""The simulated models over real HTTP, in the OpenAI chat-completions wire format.

``POST /v1/chat/completions`` (JSON, or server-sent events with ``"stream": true``: a role
chunk, content chunks, a finish chunk, a usage chunk when
``stream_options.include_usage``, then ``data: [DONE]``) and ``GET /v1/models``. Errors use
OpenAI's ``{"error": {...}}`` body; 429s carry ``Retry-After``. The reply's ``model`` is
always the ``sim/...`` name, so nothing downstream can mistake it for a real model.

Binds to 127.0.0.1 by default. ``start_sim_server`` runs it in a background thread on an
ephemeral port (what the bench uses); ``routr sim serve`` runs it in the foreground.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from routr_cli.providers.sim.engine import SimEngine, SimReply, SimRequestError

SIM_BASE_URL_ENV = "ROUTR_SIM_BASE_URL"  # the sim provider's ROUTR_<NAME>_BASE_URL
MAX_BODY_BYTES = 32 * 1024 * 1024
STREAM_CHUNK_CHARS = 48


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], engine: SimEngine) -> None:
        super().__init__(address, SimRequestHandler)
        self.engine = engine

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-request (a cancelled bench) is routine, not a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class SimRequestHandler(BaseHTTPRequestHandler):
    server: SimHTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server_version = "routr-sim/1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the bench's progress output is the place to look."""

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            data = [
                {"id": name, "object": "model", "created": 0, "owned_by": "routr-sim"}
                for name in self.server.engine.models
            ]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, _error_body(f"no route GET {self.path}", "not_found"))

    def do_POST(self) -> None:
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self.close_connection = True
            self._send_json(404, _error_body(f"no route POST {self.path}", "not_found"))
            return
        raw_length = self.headers.get("Content-Length") or "0"
        length = int(raw_length) if raw_length.isdigit() else 0
        if length <= 0 or length > MAX_BODY_BYTES:
            self.close_connection = True  # the unread body must not be taken for a request
            self._send_json(400, _error_body("a JSON body is required", "invalid_body"))
            return
        try:
            body = json.loads(self.rfile.read(length))
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError:
            self._send_json(400, _error_body("the body is not a JSON object", "invalid_body"))
            return
        try:
            reply = self.server.engine.handle(body)
        except SimRequestError as exc:
            self._send_json(exc.status, exc.body, exc.headers)
            return
        except Exception:  # a bug here: the client gets a real 500, stderr the traceback
            self.close_connection = True
            self._send_json(
                500,
                _error_body("internal error in the sim server", "internal_error", "server_error"),
            )
            raise
        completion_id = f"chatcmpl-sim-{uuid.uuid4().hex[:20]}"
        if body.get("stream"):
            options = body.get("stream_options") or {}
            include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
            self._stream(completion_id, reply, include_usage)
        else:
            time.sleep(reply.total_s)
            self._send_json(200, _completion(completion_id, reply))

    def _stream(self, completion_id: str, reply: SimReply, include_usage: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        created = int(time.time())

        def chunk(delta: dict[str, Any], finish: str | None = None, usage: Any = None) -> None:
            payload: dict[str, Any] = {
                "id": completion_id, "object": "chat.completion.chunk", "created": created,
                "model": reply.model, "system_fingerprint": "routr-sim",
                "choices": [] if usage else [
                    {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
                ],
            }  # fmt: skip
            if usage:
                payload["usage"] = usage
            self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()

        try:
            time.sleep(reply.ttft_s)
            chunk({"role": "assistant", "content": ""})
            pieces = [
                reply.text[i : i + STREAM_CHUNK_CHARS]
                for i in range(0, len(reply.text), STREAM_CHUNK_CHARS)
            ]
            gap = (reply.total_s - reply.ttft_s) / len(pieces) if pieces else 0.0
            for piece in pieces:
                chunk({"content": piece})
                if gap > 0:
                    time.sleep(gap)
            chunk({}, reply.finish_reason)
            if include_usage:
                chunk({}, usage=reply.usage())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the client went away mid-stream; nothing to tell it


def _error_body(message: str, code: str, kind: str = "invalid_request_error") -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _completion(completion_id: str, reply: SimReply) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": reply.model,
        "system_fingerprint": "routr-sim",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": reply.usage(),
    }


class SimServerHandle:
    """A running in-process sim server: ``base_url`` (ends in ``/v1``) and ``close()``."""

    def __init__(self, server: SimHTTPServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[0], server.server_address[1]
        self.host = str(host)
        self.port = int(port)
        self.base_url = f"http://{self.host}:{self.port}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SimServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_server(
    tasks_dir: Path | None,
    seed: int = 0,
    latency_scale: float = 1.0,
    host: str = "127.0.0.1",
    port: int = 0,
) -> SimHTTPServer:
    """A bound (not yet serving) sim server; port 0 picks a free one."""
    return SimHTTPServer((host, port), SimEngine(tasks_dir, seed, latency_scale))


def start_sim_server(
    tasks_dir: Path | None,
    seed: int = 0,
    latency_scale: float = 1.0,
    host: str = "127.0.0.1",
) -> SimServerHandle:
    """Serve the simulated models from a background thread on an ephemeral port."""
    server = make_server(tasks_dir, seed, latency_scale, host, 0)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="routr-sim", daemon=True
    )
    thread.start()
    return SimServerHandle(server, thread)


@contextlib.contextmanager
def sim_models_served(
    tasks_dir: Path | None, seed: int = 0, latency_scale: float = 1.0
) -> Iterator[str]:
    """Serve the simulated models in-process and point the ``sim`` provider at them.

    What `routr bench` and `routr call` do when a ``sim/`` model may be called: the
    server runs for the ``with`` block, ``ROUTR_SIM_BASE_URL`` names it meanwhile and is
    restored after. Yields the base URL.
    """
    handle = start_sim_server(tasks_dir, seed, latency_scale)
    previous = os.environ.get(SIM_BASE_URL_ENV)
    os.environ[SIM_BASE_URL_ENV] = handle.base_url
    try:
        yield handle.base_url
    finally:
        if previous is None:
            os.environ.pop(SIM_BASE_URL_ENV, None)
        else:
            os.environ[SIM_BASE_URL_ENV] = previous
        handle.close()
