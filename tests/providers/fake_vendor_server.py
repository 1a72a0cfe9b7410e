"""A fake model vendor on 127.0.0.1 speaking the real wire formats, with scripted faults.

One threaded HTTP/1.1 server answers all three API formats, chosen by path:
``/v1/chat/completions`` (OpenAI), ``/v1/messages`` (Anthropic) and
``/v1beta/models/{id}:generateContent`` / ``:streamGenerateContent?alt=sse`` (Gemini).
Streams are SSE over chunked transfer encoding, as the real vendors send them. The official
``openai`` and ``anthropic`` SDKs are run against it to prove the formats are real.

Tests script the next replies (``server.script(Reply.status(429, retry_after="1"), Reply())``);
when the script is empty a normal answer is sent. Every request is recorded with its arrival
time so tests can check retry spacing. Paid APIs cannot be reached from a test; this is the
one place a stand-in is allowed, so it speaks the protocol byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAKE_TEXT_PARTS = ("Hello", " from", " the", " fake", " vendor.")


@dataclass(frozen=True)
class FakeUsage:
    """Token counts in one vendor-neutral shape; each format renders them its own way.

    ``prompt`` includes ``cached`` and ``cache_write``; ``completion`` includes ``reasoning``.
    """

    prompt: int = 120
    completion: int = 30
    cached: int = 40
    cache_write: int = 20
    reasoning: int = 8
    cost: float | None = 0.00123  # OpenRouter-style usage.cost, OpenAI format only


@dataclass(frozen=True)
class Reply:
    """One scripted reply. ``kind``: ok, status, hang, stall, cut, abort, malformed, reset
    (the connection is reset before any header is sent)."""

    kind: str = "ok"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    parts: tuple[str, ...] = FAKE_TEXT_PARTS
    usage: FakeUsage = FakeUsage()
    finish: str = "stop"  # "stop", "length", "content_filter" (rendered per format)
    events_before_fault: int = 2  # stall/cut/abort: how many events are sent first
    delay_s: float = 0.0  # think this long before the first byte (a slow, healthy vendor)
    events: tuple[str, ...] | None = None  # a stream: send exactly these SSE events instead

    @classmethod
    def status_error(cls, status: int, body: dict[str, Any] | None = None, **headers: str) -> Reply:
        return cls(
            kind="status",
            status=status,
            body=body,
            headers={k.replace("_", "-"): v for k, v in headers.items()},
        )


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    arrived: float  # time.monotonic()


# -- rendering per format ---------------------------------------------------------------


def _openai_usage(u: FakeUsage) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": u.prompt,
        "completion_tokens": u.completion,
        "total_tokens": u.prompt + u.completion,
        "prompt_tokens_details": {"cached_tokens": u.cached},
        "completion_tokens_details": {"reasoning_tokens": u.reasoning},
    }
    if u.cost is not None:
        usage["cost"] = u.cost
    return usage


def _anthropic_usage(u: FakeUsage) -> dict[str, Any]:
    return {
        "input_tokens": u.prompt - u.cached - u.cache_write,
        "output_tokens": u.completion,
        "cache_read_input_tokens": u.cached,
        "cache_creation_input_tokens": u.cache_write,
    }


def _gemini_usage(u: FakeUsage) -> dict[str, Any]:
    return {
        "promptTokenCount": u.prompt,
        "candidatesTokenCount": u.completion - u.reasoning,
        "thoughtsTokenCount": u.reasoning,
        "cachedContentTokenCount": u.cached,
        "totalTokenCount": u.prompt + u.completion,
    }


_ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens", "content_filter": "refusal"}
_GEMINI_FINISH = {"stop": "STOP", "length": "MAX_TOKENS", "content_filter": "SAFETY"}


def openai_body(model: str, reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake123",
        "object": "chat.completion",
        "created": 1_750_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "".join(reply.parts), "refusal": None},
                "logprobs": None,
                "finish_reason": reply.finish,
            }
        ],
        "usage": _openai_usage(reply.usage),
    }


def openai_events(model: str, reply: Reply) -> list[str]:
    def chunk(delta: dict[str, Any], finish: str | None) -> str:
        body = {
            "id": "chatcmpl-fake123",
            "object": "chat.completion.chunk",
            "created": 1_750_000_000,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body)}\n\n"

    events = [": OPENROUTER PROCESSING\n\n", chunk({"role": "assistant", "content": ""}, None)]
    events += [chunk({"content": part}, None) for part in reply.parts]
    events.append(chunk({}, reply.finish))
    usage_chunk = {
        "id": "chatcmpl-fake123",
        "object": "chat.completion.chunk",
        "created": 1_750_000_000,
        "model": model,
        "choices": [],
        "usage": _openai_usage(reply.usage),
    }
    events.append(f"data: {json.dumps(usage_chunk)}\n\n")
    events.append("data: [DONE]\n\n")
    return events


def anthropic_body(model: str, reply: Reply) -> dict[str, Any]:
    return {
        "id": "msg_fake123",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": "".join(reply.parts)}],
        "stop_reason": _ANTHROPIC_STOP.get(reply.finish, reply.finish),
        "stop_sequence": None,
        "usage": _anthropic_usage(reply.usage),
    }


def anthropic_events(model: str, reply: Reply) -> list[str]:
    def event(name: str, data: dict[str, Any]) -> str:
        return f"event: {name}\ndata: {json.dumps(data)}\n\n"

    usage = _anthropic_usage(reply.usage)
    start_usage = dict(usage, output_tokens=1)
    message = dict(anthropic_body(model, reply), content=[], stop_reason=None, usage=start_usage)
    events = [
        event("message_start", {"type": "message_start", "message": message}),
        event(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        event("ping", {"type": "ping"}),
    ]
    events += [
        event(
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
        )
        for p in reply.parts
    ]
    events += [
        event("content_block_stop", {"type": "content_block_stop", "index": 0}),
        event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {
                    "stop_reason": _ANTHROPIC_STOP.get(reply.finish, reply.finish),
                    "stop_sequence": None,
                },
                "usage": {"output_tokens": usage["output_tokens"]},
            },
        ),
        event("message_stop", {"type": "message_stop"}),
    ]
    return events


def gemini_body(model: str, reply: Reply, parts: tuple[str, ...], final: bool) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "content": {"role": "model", "parts": [{"text": "".join(parts)}]},
        "index": 0,
    }
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": model}
    if final:
        candidate["finishReason"] = _GEMINI_FINISH.get(reply.finish, reply.finish)
        body["usageMetadata"] = _gemini_usage(reply.usage)
    return body


def gemini_events(model: str, reply: Reply) -> list[str]:
    last = len(reply.parts) - 1
    return [
        f"data: {json.dumps(gemini_body(model, reply, (part,), final=i == last))}\r\n\r\n"
        for i, part in enumerate(reply.parts)
    ]


# -- the server -------------------------------------------------------------------------


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client closing its idle keep-alive connection is normal, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeVendor:
    """Start with ``with FakeVendor() as vendor:``; ``vendor.url`` is ``http://127.0.0.1:PORT``."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.release = threading.Event()  # set on stop: hung handlers give up
        self._server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def clear_script(self) -> None:
        """Drop replies still queued (a test that scripted more than a call used)."""
        with self._lock:
            self._replies.clear()

    def next_reply(self) -> Reply:
        with self._lock:
            return self._replies.popleft() if self._replies else Reply()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def __enter__(self) -> FakeVendor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _make_handler(vendor: FakeVendor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length) if length else b"{}"
            body = json.loads(raw)
            vendor.record(
                RecordedRequest(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    time.monotonic(),
                )
            )
            reply = vendor.next_reply()
            # A client that gave up (a timeout test) leaves nothing to answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(reply, body)

        def _answer(self, reply: Reply, body: dict[str, Any]) -> None:
            if reply.delay_s:
                vendor.release.wait(reply.delay_s)
            if reply.kind == "reset":  # RST instead of a response: SO_LINGER 0, then close
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                return
            if reply.kind == "hang":
                vendor.release.wait(30)
                self.close_connection = True
                return
            if reply.kind == "status":
                payload = json.dumps(reply.body or {"error": {"message": "fake error"}}).encode()
                self._send_whole(reply.status, payload, reply.headers)
                return
            if reply.kind == "malformed":
                self._send_whole(200, b'{"id": "chatcmpl-1", "choices": [', {})
                return
            fmt, model, stream = self._route(body)
            if not stream:
                renderers = {"openai": openai_body, "anthropic": anthropic_body}
                data = (
                    gemini_body(model, reply, reply.parts, final=True)
                    if fmt == "gemini"
                    else renderers[fmt](model, reply)
                )
                self._send_whole(200, json.dumps(data).encode(), {})
                return
            renderer = {"openai": openai_events, "anthropic": anthropic_events}.get(
                fmt, gemini_events
            )
            events = list(reply.events) if reply.events is not None else renderer(model, reply)
            self._send_stream(reply, events)

        def _route(self, body: dict[str, Any]) -> tuple[str, str, bool]:
            path = self.path.split("?")[0]
            if path.endswith("/chat/completions"):
                return "openai", str(body.get("model")), bool(body.get("stream"))
            if path.endswith("/messages"):
                return "anthropic", str(body.get("model")), bool(body.get("stream"))
            model, _, method = path.rpartition("/models/")[2].partition(":")
            return "gemini", model, method == "streamGenerateContent"

        def _send_whole(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _send_stream(self, reply: Reply, events: list[str]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if reply.kind in ("stall", "cut", "abort"):
                events = events[: reply.events_before_fault]
            for event in events:
                data = event.encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()
            if reply.kind == "stall":
                vendor.release.wait(30)
                self.close_connection = True
                return
            if reply.kind == "abort":
                self.wfile.write(b'40\r\ndata: {"trunc')  # a chunk promised, never finished
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(b"0\r\n\r\n")  # "cut" ends cleanly at the HTTP level, no terminator
            self.wfile.flush()

    return Handler
