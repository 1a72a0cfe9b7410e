"""A minimal OpenAI-compatible endpoint on loopback for CLI tests: real HTTP, one
canned chat completion per request, chosen by the test's handler."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def send_completion(handler: BaseHTTPRequestHandler, content: str) -> None:
    """Answer the request ``handler`` is serving with one chat completion saying ``content``."""
    body = json.dumps(
        {
            "id": "c1",
            "object": "chat.completion",
            "model": "local-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 50, "completion_tokens": 5, "total_tokens": 55},
        }
    )
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    handler.wfile.write(body.encode())


def read_request(handler: BaseHTTPRequestHandler) -> dict[str, Any]:
    """The JSON body of the request ``handler`` is serving."""
    raw = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
    parsed: dict[str, Any] = json.loads(raw) if raw else {}
    return parsed


@contextlib.contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1; yields the base URL (``.../v1``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
