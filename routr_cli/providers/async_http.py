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
from contextlib import aclosing, asynccontextmanager
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
            async with self._open(call, budget, key, stream=False) as response:
                body = b"".join([c async for c in self._chunks(response, budget, stream=False)])
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
        with key_scrubbed(key):
            async with self._open(call, budget, key, stream=True) as response:
                chunks = self._chunks(response, budget, stream=True)
                async for chunk in chunks:
                    for event in decoder.feed(chunk):
                        for delta in reader.feed(event):
                            yield delta
                        if reader.done:
                            await _drain(chunks)
                            yield reader.finish()
                            return
                for event in decoder.close():
                    for delta in reader.feed(event):
                        yield delta
            yield reader.finish()

    @asynccontextmanager
    async def _open(
        self, call: HttpCall, budget: CallBudget, key: str | None, *, stream: bool
    ) -> AsyncIterator[UpstreamResponse]:
        """Send the request; yield a 2xx response whose body is still unread."""
        provider = self.provider
        url = provider.config.base_url + call.path
        timeout = provider.timeouts.clamped(budget.remaining(), stream=stream)
        headers = {**call.headers, "content-type": "application/json"}
        try:
            async with self.client.stream(
                "POST", url, headers=headers, content=json_body(call.body), timeout=timeout
            ) as response:
                if response.status_code >= 400:
                    chunks = self._chunks(
                        response, budget, stream=stream, limit=MAX_ERROR_BODY_BYTES
                    )
                    body = b"".join([c async for c in chunks])
                    raise error_for_status(
                        provider.name,
                        response,
                        body,
                        key_env=provider.config.key_env,
                        secrets=(key,) if key else (),
                    )
                yield response
        except httpx.HTTPError as exc:
            raise provider.transport_error(exc, stream=stream) from None

    async def _chunks(
        self,
        response: UpstreamResponse,
        budget: CallBudget,
        *,
        stream: bool,
        limit: int | None = None,
    ) -> AsyncIterator[bytes]:
        meter = BodyMeter(self.provider.name, budget, self.provider.retry.deadline_s, limit)
        try:
            async for chunk in response.aiter_bytes():
                yield meter.take(chunk)
                if meter.full:
                    return
        except httpx.HTTPError as exc:
            raise self.provider.transport_error(exc, stream=stream) from None


DRAIN_S = 0.2  # how long the end of a finished stream may take to arrive


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read what follows a stream's final event (usually just the end of the chunked body)
    so the connection goes back to the pool: an unread body makes the pool close it, and
    the next call pays a new TCP connection. An upstream that keeps talking past ``DRAIN_S`` (or
    fails) only loses its connection, never the answer already read."""
    try:
        async with asyncio.timeout(DRAIN_S):
            async for _ in chunks:
                pass
    except (TimeoutError, ProviderError):
        pass
