"""The async twin of ``HttpChatProvider``'s I/O, for ``routr serve``'s event loop.

Only the I/O is twinned. Everything a vendor fact decides stays in one place and is shared
with the synchronous path: the request body (``build_call``), reading a response
(``parse_complete``) and a stream (``stream_reader``), the error mapping (``error_map``),
the body size and deadline checks (``BodyMeter``), and the retry rules (``next_wait``:
backoff with full jitter, Retry-After honoured, bounded by attempts and the deadline).
A new adapter therefore works here with no async code of its own.

``AsyncChat(provider, client).complete(request)`` returns a ``ChatResponse``;
``stream(request)`` yields text deltas and then, as its last item, the ``ChatResponse``.
As in the synchronous ``stream``, a stream is retried only before its first delta reached
the caller. Cancelling the awaiting task (a client that hung up) closes the upstream
connection: ``UpstreamPool.stream`` aborts any connection whose response was not read to
its end.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from types import TracebackType
from typing import Any

import httpx

from routr_cli.errors import ProviderError
from routr_cli.providers.base import ChatRequest, ChatResponse
from routr_cli.providers.error_map import error_for_status, malformed
from routr_cli.providers.http_provider import (
    MAX_ERROR_BODY_BYTES,
    BodyMeter,
    HttpCall,
    HttpChatProvider,
    Parsed,
    key_scrubbed,
)
from routr_cli.providers.retry import CallBudget, deadline_passed, new_budget, next_wait
from routr_cli.providers.sse import SSEDecoder
from routr_cli.providers.upstream_conn import UpstreamResponse
from routr_cli.providers.upstream_pool import UpstreamPool


def json_body(body: Any) -> bytes:
    """A request body as JSON, byte for byte what httpx's ``json=`` sends (the sync path)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


class AsyncChat:
    """One resolved provider's calls over the gateway's shared ``UpstreamPool``."""

    def __init__(self, provider: HttpChatProvider, client: UpstreamPool) -> None:
        self.provider = provider
        self.client = client

    async def complete(self, request: ChatRequest) -> ChatResponse:
        provider = self.provider
        started = time.monotonic()
        budget = new_budget(provider.retry)
        failures = 0
        while True:
            if budget.remaining() <= 0:
                raise deadline_passed(provider.name, provider.retry)
            try:
                parsed = await self._complete_once(request, budget)
            except ProviderError as exc:
                failures += 1
                wait = next_wait(provider.retry, failures, exc, budget)
                if wait is None:
                    raise
                await asyncio.sleep(wait)
                continue
            return provider.response(parsed, started, failures, ttft=None)

    async def stream(self, request: ChatRequest) -> AsyncIterator[str | ChatResponse]:
        """Text deltas as they arrive, then the whole answer as the last item."""
        provider = self.provider
        started = time.monotonic()
        budget = new_budget(provider.retry)
        failures = 0
        while True:
            if budget.remaining() <= 0:
                raise deadline_passed(provider.name, provider.retry)
            deltas_sent = 0
            ttft: float | None = None
            parsed: Parsed | None = None
            try:
                # read to the attempt's end (its connection goes back to the pool then);
                # ``aclosing``: a caller that stops early closes the connection at once
                async with aclosing(self._stream_once(request, budget)) as attempt:
                    async for item in attempt:
                        if isinstance(item, Parsed):
                            parsed = item
                            continue
                        if ttft is None:
                            ttft = time.monotonic() - started
                        deltas_sent += 1
                        yield item
                if parsed is not None:
                    yield provider.response(parsed, started, failures, ttft=ttft)
                    return
            except ProviderError as exc:
                failures += 1
                wait = None if deltas_sent else next_wait(provider.retry, failures, exc, budget)
                if wait is None:
                    raise
                await asyncio.sleep(wait)

    # -- one attempt ------------------------------------------------------------------

    async def _complete_once(self, request: ChatRequest, budget: CallBudget) -> Parsed:
        provider = self.provider
        key = provider.config.api_key()
        call = provider.build_call(request, stream=False, api_key=key)
        with key_scrubbed(key):
            async with _Attempt(self, call, budget, key, stream=False) as response:
                body = await self._read(response, budget, stream=False)
            try:
                data = json.loads(body)
            except ValueError:
                raise malformed(provider.name, "body is not JSON") from None
            return provider.parse_complete(data)

    async def _stream_once(
        self, request: ChatRequest, budget: CallBudget
    ) -> AsyncGenerator[str | Parsed, None]:
        provider = self.provider
        key = provider.config.api_key()
        call = provider.build_call(request, stream=True, api_key=key)
        reader = provider.stream_reader()
        decoder = SSEDecoder()
        meter = BodyMeter(provider.name, budget, provider.retry.deadline_s)
        with key_scrubbed(key):
            async with _Attempt(self, call, budget, key, stream=True) as response:
                while chunk := await self._next(response, meter, stream=True):
                    for event in decoder.feed(chunk):
                        for delta in reader.feed(event):
                            yield delta
                        if reader.done:
                            await _drain(response)
                            yield reader.finish()
                            return
                for event in decoder.close():
                    for delta in reader.feed(event):
                        yield delta
            yield reader.finish()

    async def _read(
        self,
        response: UpstreamResponse,
        budget: CallBudget,
        *,
        stream: bool,
        limit: int | None = None,
    ) -> bytes:
        """The whole body, checked by a ``BodyMeter`` (cut at ``limit`` for an error body)."""
        meter = BodyMeter(self.provider.name, budget, self.provider.retry.deadline_s, limit)
        parts = []
        while chunk := await self._next(response, meter, stream=stream):
            parts.append(chunk)
            if meter.full:
                break
        return b"".join(parts)

    async def _next(self, response: UpstreamResponse, meter: BodyMeter, *, stream: bool) -> bytes:
        """The next body chunk, checked (size, deadline); ``b""`` at the end."""
        try:
            chunk = await response.read_chunk()
        except httpx.HTTPError as exc:
            raise self.provider.transport_error(exc, stream=stream) from None
        return meter.take(chunk) if chunk else chunk


class _Attempt:
    """``async with _Attempt(chat, call, ...) as response``: the request sent, a 2xx
    response whose body is still unread (an error status is read, mapped and raised).
    Leaving it hands the connection back or closes it (``UpstreamPool.stream``). A class
    rather than an ``asynccontextmanager``: no async generator per call."""

    __slots__ = ("_budget", "_chat", "_exchange", "_key", "_stream")

    def __init__(
        self, chat: AsyncChat, call: HttpCall, budget: CallBudget, key: str | None, *, stream: bool
    ) -> None:
        provider = chat.provider
        self._chat = chat
        self._budget = budget
        self._key = key
        self._stream = stream
        try:
            self._exchange = chat.client.stream(
                "POST",
                provider.config.base_url + call.path,
                headers={**call.headers, "content-type": "application/json"},
                content=json_body(call.body),
                timeout=provider.timeouts.clamped(budget.remaining(), stream=stream),
            )
        except httpx.HTTPError as exc:  # a URL or header the client refuses
            raise provider.transport_error(exc, stream=stream) from None

    async def __aenter__(self) -> UpstreamResponse:
        chat, stream = self._chat, self._stream
        provider = chat.provider
        try:
            response = await self._exchange.__aenter__()
        except httpx.HTTPError as exc:
            raise provider.transport_error(exc, stream=stream) from None
        if response.status_code < 400:
            return response
        try:
            body = await chat._read(
                response, self._budget, stream=stream, limit=MAX_ERROR_BODY_BYTES
            )
        finally:
            await self._exchange.__aexit__(None, None, None)
        raise error_for_status(
            provider.name,
            response,
            body,
            key_env=provider.config.key_env,
            secrets=(self._key,) if self._key else (),
        )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._exchange.__aexit__(exc_type, exc, tb)


DRAIN_S = 0.2  # how long the end of a finished stream may take to arrive


async def _drain(response: UpstreamResponse) -> None:
    """Read what follows a stream's final event (usually just the end of the chunked body)
    so the connection goes back to the pool: a body not read to its end makes the pool close
    it, and the next call pays a new TCP connection. An upstream that keeps talking past
    ``DRAIN_S`` (or fails) only loses its connection, never the answer already read."""
    if response.at_end:  # the usual case: the end came with the last event
        return
    try:
        async with asyncio.timeout(DRAIN_S):
            while await response.read_chunk():
                pass
    except (TimeoutError, httpx.HTTPError):
        pass
