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
connection: ``httpx.AsyncClient.stream`` releases it on exit.
"""

from __future__ import annotations

import asyncio
import json
import select
import ssl
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import httpcore
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

_URLS: dict[str, httpx.URL] = {}


def _url(text: str) -> httpx.URL:
    """The parsed URL, kept: a gateway calls a handful of endpoints millions of times, and
    httpx parses a string URL on every request."""
    url = _URLS.get(text)
    if url is None:
        if len(_URLS) > 1024:  # bounded whatever a configuration does
            _URLS.clear()
        url = _URLS[text] = httpx.URL(text)
    return url


class AsyncChat:
    """One resolved provider's calls over a shared ``httpx.AsyncClient`` (pooled)."""

    def __init__(self, provider: HttpChatProvider, client: httpx.AsyncClient) -> None:
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
            try:
                async for item in self._stream_once(request, budget):
                    if isinstance(item, Parsed):
                        yield provider.response(item, started, failures, ttft=ttft)
                        return
                    if ttft is None:
                        ttft = time.monotonic() - started
                    deltas_sent += 1
                    yield item
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
    ) -> AsyncIterator[str | Parsed]:
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
    ) -> AsyncIterator[httpx.Response]:
        """Send the request; yield a 2xx response whose body is still unread."""
        provider = self.provider
        url = _url(provider.config.base_url + call.path)
        timeout = provider.timeouts.clamped(budget.remaining(), stream=stream)
        try:
            async with self.client.stream(
                "POST", url, json=call.body, headers=call.headers, timeout=timeout
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
        response: httpx.Response,
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
    so the connection goes back to the pool: an unread body makes httpx close it, and the
    next call pays a new TCP connection. An upstream that keeps talking past ``DRAIN_S`` (or
    fails) only loses its connection, never the answer already read."""
    try:
        async with asyncio.timeout(DRAIN_S):
            async for _ in chunks:
                pass
    except (TimeoutError, ProviderError):
        pass


def _readable(sock: Any) -> bool:
    """Has the peer sent something (or hung up) on an idle connection? As httpcore asks it:
    a closed socket counts as readable (expired)."""
    if sock.fileno() < 0:
        return True
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


class _SocketInfoStream(httpcore.AsyncNetworkStream):
    """A connection whose raw socket is looked up once. httpcore asks every idle pooled
    connection "is the socket readable?" (a server that hung up) each time it assigns a
    request, and anyio rebuilds a dict of socket attributes (with a ``getpeername`` system
    call) for every such question: with 30 pooled connections, ~100 times a request."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: Any = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _SocketInfoStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "socket" and self._socket is not None:
            return self._socket
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


class _SocketInfoBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _SocketInfoStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(path, timeout, socket_options)
        return _SocketInfoStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pooled_client(limits: httpx.Limits, **options: Any) -> httpx.AsyncClient:
    """The gateway's ``httpx.AsyncClient``: pooled, its connections' sockets looked up once
    (``_SocketInfoStream``). httpx takes no network backend, so the pool's is swapped after
    construction; if a future httpx moves it, this falls back to the plain client."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None:
        pool._network_backend = _SocketInfoBackend(backend)  # type: ignore[union-attr]
    return httpx.AsyncClient(transport=transport, limits=limits, **options)
