"""The gateway's HTTP plumbing: a small raw ASGI app on uvicorn, no web framework.

Why not Starlette: at 500 requests/s on two shared cores every request's CPU counts, and a
framework's middleware stack (an exception middleware that wraps ``send``, a routing table
of regexes, ``Request``/``Response`` objects, ``StreamingResponse``'s anyio task group
with a disconnect listener) cost more than Routr's own routing decision. The gateway has
five fixed endpoints, so dispatch is one dict lookup on ``(path, method)``, headers go
out as pre-encoded byte pairs, JSON is written by one shared encoder, and a streamed
answer watches for the client hanging up with one task per stream (``watch_disconnect``).
docs/serve.md has the measured figures.

What a framework gave that still holds here: 404 and 405 (with ``Allow``) in OpenAI's
error shape, a 500 in that shape for an unexpected error (logged, never a traceback to the
caller), the lifespan protocol (start-up and shutdown hooks; a failing start-up stops
uvicorn), and the body read within a size limit and a read timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from routr_cli.serve.wire import error_body

log = logging.getLogger("routr.serve")

Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Handler = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

JSON_TYPE = (b"content-type", b"application/json")
SSE_TYPE = (b"content-type", b"text/event-stream; charset=utf-8")
TEXT_TYPE = (b"content-type", b"text/plain; charset=utf-8")

# One encoder for every JSON answer: json.dumps with non-default options builds a new
# encoder per call. The output is what Starlette's JSONResponse wrote (compact, UTF-8).
encode_json: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":")
).encode


def json_bytes(payload: Any) -> bytes:
    return encode_json(payload).encode()


class BodyError(Exception):
    """The request body could not be read: too large, too slow, or the client left."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ClientGone(BodyError):
    def __init__(self) -> None:
        super().__init__(499, "the client disconnected")


def request_headers(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers by lower-case name (ASGI servers send names lower-cased); a
    repeated header keeps its first value, as Starlette's ``headers.get`` did."""
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    return dict(reversed(headers)) if len(headers) > 1 else dict(headers)


async def read_body(
    receive: Receive, headers: Mapping[bytes, bytes], limit: int, timeout_s: float
) -> bytes:
    """The whole body, refusing more than ``limit`` bytes (413, as soon as the declared
    length or the bytes received pass it) and a client slower than ``timeout_s`` (408)."""
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyError(413, f"request body over {limit} bytes", "request_too_large")
    try:
        async with asyncio.timeout(timeout_s):  # wait_for would start a task per request
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            body: bytes = message.get("body", b"")
            if not message.get("more_body", False):  # the usual case: one message
                if len(body) > limit:
                    raise BodyError(413, f"request body over {limit} bytes", "request_too_large")
                return body
            parts = [body]
            size = len(body)
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise BodyError(413, f"request body over {limit} bytes", "request_too_large")
                parts.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(parts)
    except TimeoutError:
        raise BodyError(408, f"request body not received within {timeout_s:g}s") from None


async def send_body(
    send: Send, status: int, body: bytes, content_type: tuple[bytes, bytes], headers: Headers
) -> None:
    """A whole response: head and body in two messages (uvicorn writes each at once)."""
    headers.append(content_type)
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Send, status: int, payload: Any, headers: Headers | None = None) -> None:
    await send_body(send, status, json_bytes(payload), JSON_TYPE, headers or [])


class WatchedStream:
    """Cancels the task writing a streamed answer when the client hangs up.

    uvicorn's ``send`` silently drops what is sent after a disconnect, so without this a
    stream would go on pulling from the provider (and paying for it) to the end. Once the
    request body is read, ``receive`` blocks until the client disconnects or the response
    is complete; one task waits on it. ``done()`` must be called before the last ``send``
    (whose completion also wakes ``receive``), and ``close()`` when the stream ends."""

    __slots__ = ("_owner", "_task", "cancelled", "finished")

    def __init__(self, receive: Receive) -> None:
        self.finished = False
        self.cancelled = False
        self._owner = asyncio.current_task()
        self._task: asyncio.Task[None] | None = asyncio.get_running_loop().create_task(
            self._watch(receive)
        )

    async def _watch(self, receive: Receive) -> None:
        message = await receive()
        if message["type"] == "http.disconnect" and not self.finished:
            self.cancelled = True
            if self._owner is not None:
                self._owner.cancel()

    def done(self) -> None:
        self.finished = True

    def close(self) -> None:
        """Stop the watcher. It is cancelled with this object's reference to it dropped
        first: the cancelled task keeps its ``CancelledError``, whose traceback holds
        ``_watch``'s frame, whose ``self`` would hold the task again. That cycle (task,
        coroutine, frames, uvicorn's request cycle: ~26 objects per stream) outlived every
        stream until a gen-0 collection freed ~20,000 of them in one 7-15 ms pause of the
        event loop, the streamed answers' p99 tail (docs/serve.md). Without the back
        reference it is freed by reference counting when it ends."""
        self.finished = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()

    def absorbed(self) -> bool:
        """After catching ``CancelledError``: True when this watcher caused it (the client
        left; the cancellation is spent and the handler returns normally), False when it
        came from elsewhere (a server shutting down) and must propagate."""
        if not self.cancelled:
            return False
        if self._owner is not None:
            self._owner.uncancel()
        return True


class App:
    """Dispatch on ``(path, method)``; lifespan hooks; errors in OpenAI's shape."""

    def __init__(
        self,
        routes: Mapping[str, Mapping[str, Handler]],
        *,
        startup: Callable[[], Awaitable[None]] | None = None,
        shutdown: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.routes = {path: dict(methods) for path, methods in routes.items()}
        self.startup = startup
        self.shutdown = shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            methods = self.routes.get(scope["path"])
            handler = None if methods is None else methods.get(scope["method"])
            if handler is None:
                await self._not_routed(send, methods)
                return
            try:
                await handler(scope, receive, send)
            except Exception as exc:
                await self._crashed(send, exc)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _not_routed(self, send: Send, methods: Mapping[str, Handler] | None) -> None:
        if methods is None:
            await send_json(send, 404, error_body("no such endpoint", "invalid_request_error"))
            return
        allowed = ", ".join(sorted(methods))
        await send_json(
            send,
            405,
            error_body(f"method not allowed: use {allowed}", "invalid_request_error"),
            [(b"allow", allowed.encode())],
        )

    async def _crashed(self, send: Send, exc: Exception) -> None:
        log.error("routr serve: unexpected error", exc_info=exc)
        body = error_body("internal error in routr serve (see its log)", "server_error", "internal")
        with contextlib.suppress(RuntimeError):  # the response had started: uvicorn closes it
            await send_json(send, 500, body)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if self.startup is not None:
                        await self.startup()
                except Exception as exc:
                    log.error("routr serve: start-up failed", exc_info=exc)
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                try:
                    if self.shutdown is not None:
                        await self.shutdown()
                except Exception as exc:
                    await send({"type": "lifespan.shutdown.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return


def header_pairs(items: Iterable[tuple[str, str]]) -> Headers:
    return [(name.encode(), value.encode()) for name, value in items]
