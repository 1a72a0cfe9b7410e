"""One keep-alive HTTP/1.1 connection to an upstream, and the response read from it.

``routr serve`` spends most of its CPU talking to providers, and httpx's AsyncClient (httpcore,
h11, anyio streams, a pool scan per request) cost about two thirds of a request. A connection
here is an ``asyncio.Protocol`` (uvloop's in serve) whose bytes go straight into ``httptools``
(llhttp, the C parser uvicorn uses): no stream layers, no per-chunk event objects, one
future per wait, timers from ``loop.call_later``.

What this module decides (the pool, ``upstream_pool``, decides which connection to use):

- **Errors are httpx's own types** (``ReadTimeout``, ``ReadError``, ``RemoteProtocolError``,
  ...), so ``error_map.error_for_transport`` stays the one place that names a failure.
- **A response ends** with its Content-Length, its last chunk, or -- when it gave neither --
  the server closing the connection (then the connection is not reused).
- **Dead is cheap to see**: the server's FIN or RST arrives as ``eof_received`` /
  ``connection_lost`` and flags the connection, so the pool never polls a socket.
- **Back-pressure**: past ``HIGH_WATER`` unread bytes the transport stops reading until the
  consumer catches up, so a fast upstream and a slow client cannot fill memory.
- **Abandoned is closed**: anything but a fully read, keep-alive response aborts the socket
  (a cancelled call frees its upstream at once, and no half-read body is ever reused).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from typing import Any, cast

import httptools
import httpx

HIGH_WATER = 256 * 1024  # unread body bytes before the socket stops being read
MAX_HEAD_BYTES = 64 * 1024  # status line and headers together (a head still open past it)


class UpstreamResponse:
    """A response whose head has arrived: ``status_code``, ``headers`` (lower-case names,
    repeated headers joined by ", ") and the body, read with ``aiter_bytes()`` or ``aread()``.

    It has what ``error_map.error_for_status`` reads from an ``httpx.Response``."""

    __slots__ = ("_conn", "_read_s", "headers", "status_code")

    def __init__(
        self, conn: UpstreamConnection, status: int, headers: dict[str, str], read_s: float
    ) -> None:
        self._conn = conn
        self._read_s = read_s
        self.status_code = status
        self.headers = headers

    async def read_chunk(self) -> bytes:
        """The body bytes that arrived since the last call (waiting for some), decoded if
        the server compressed them anyway; ``b""`` at the end of the body. Raises
        ``ReadTimeout`` after ``read_s`` without a byte. (A coroutine, not an async
        generator: no per-call generator bookkeeping on the event loop.)"""
        conn = self._conn
        while True:
            chunk = conn.take_body()
            if chunk or conn.complete:
                return chunk
            await conn.wait(self._read_s)

    @property
    def at_end(self) -> bool:
        """The whole body has arrived and been read."""
        return self._conn.complete and not self._conn.chunks

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body as it arrives (``read_chunk`` in a loop)."""
        while chunk := await self.read_chunk():
            yield chunk

    async def aread(self) -> bytes:
        """The whole body."""
        parts = []
        while chunk := await self.read_chunk():
            parts.append(chunk)
        return b"".join(parts)


class UpstreamConnection(asyncio.Protocol):
    """One socket, one request at a time. The pool owns it between requests (``idle``); an
    exchange owns it from ``send`` until the response is read or it is aborted."""

    def __init__(self, loop: asyncio.AbstractEventLoop, key: tuple[str, str, int]) -> None:
        self.loop = loop
        self.key = key  # (scheme, host, port): which host pool it belongs to
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.idle_since = 0.0
        self.on_lost: Any = None  # the pool's callback while the connection is idle
        # the connection's end: set once, never cleared
        self.closed = False
        self.clean_eof = False  # the server sent FIN before anything went wrong
        self.lost_error: BaseException | None = None
        # the current exchange, reset by ``send``
        self.active = False
        self.received = False  # any byte of the response arrived
        self.complete = False  # the whole response (head and body) arrived
        self.failure: httpx.HTTPError | None = None
        self.status = 0
        self.head_size = 0
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.response: dict[str, str] | None = None  # the head, once complete
        self.until_close = False  # no length and not chunked: the body ends with the socket
        self.keep_alive = False
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.reading_paused = False
        self.writing_paused = False
        self.decoder: Any = None  # a zlib decompressor when the body is compressed
        self.waiter: asyncio.Future[None] | None = None

    # -- asyncio.Protocol -------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass

    def data_received(self, data: bytes) -> None:
        if not self.active or self.complete:  # nothing may follow a response: not trusted
            self.keep_alive = False
            self.abort()
            return
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(httpx.RemoteProtocolError("upstream switched protocols"))
        except httptools.HttpParserError as exc:
            cause = exc.__context__
            if isinstance(cause, zlib.error):
                cause = httpx.DecodingError(f"cannot decompress the body: {cause}")
            if not isinstance(cause, httpx.HTTPError):
                cause = httpx.RemoteProtocolError(f"invalid HTTP response: {exc}")
            self._fail(cause)
        if self.response is None and self.failure is None:
            # httptools buffers a header until it ends: bound what a head may take
            self.head_size += len(data)
            if self.head_size > MAX_HEAD_BYTES:
                self._fail(httpx.RemoteProtocolError(f"response head over {MAX_HEAD_BYTES} bytes"))
        self._wake()

    def eof_received(self) -> bool:
        if not self.closed and self.lost_error is None:
            self.clean_eof = True
        if self.active and self.until_close and self.response is not None:
            self._finish_body()
        return False  # let the transport close

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if exc is not None and not self.clean_eof:
            self.lost_error = exc
        if self.active and not self.complete and self.failure is None:
            if self.until_close and self.response is not None and exc is None:
                self._finish_body()
            else:
                self.failure = self._lost_failure()
        self._wake()
        if self.on_lost is not None:
            self.on_lost(self)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake()

    # -- httptools callbacks ----------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self.raw_headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:  # informational (100 Continue): the real head follows
            self.raw_headers = []
            return
        headers: dict[str, str] = {}
        for raw_name, raw_value in self.raw_headers:
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        self.raw_headers = []
        self.status = status
        self.keep_alive = self.parser.should_keep_alive()
        self.until_close = (
            "content-length" not in headers
            and "chunked" not in headers.get("transfer-encoding", "").lower()
            and status not in (204, 304)
        )
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "deflate"):
            self.decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # either, by its header
        elif encoding != "identity":
            raise httpx.DecodingError(f"unsupported content-encoding {encoding!r}")
        self.response = headers

    def on_body(self, body: bytes) -> None:
        if self.decoder is not None:
            body = self.decoder.decompress(body)
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > HIGH_WATER and not self.reading_paused and self.transport:
            self.reading_paused = True
            self.transport.pause_reading()

    def on_message_complete(self) -> None:
        if self.response is not None:  # not the end of a 1xx
            self._finish_body()

    # -- used by the exchange ---------------------------------------------------------

    def send(self, data: bytes) -> bool:
        """Start an exchange: write the request. False when the connection is already gone
        (nothing was sent: another connection may take the request)."""
        transport = self.transport
        if self.closed or transport is None or transport.is_closing():
            return False
        self.active = True
        self.received = self.complete = False
        self.failure = None
        self.response = None
        self.status = self.head_size = self.buffered = 0
        self.until_close = self.keep_alive = False
        self.decoder = None
        self.chunks = []
        transport.write(data)
        return True

    async def drain(self, write_s: float) -> None:
        """Wait until the kernel took a large request body (``WriteTimeout`` after
        ``write_s``); returns at once for a body that fitted the send buffer."""
        while self.writing_paused and self.response is None:  # an early answer ends it
            if self.failure is not None or self.closed:
                break
            await self._wait(write_s, httpx.WriteTimeout, "request body not sent within")
        if self.failure is not None:
            raise self.failure

    async def head(self, read_s: float) -> UpstreamResponse:
        """Wait for the status line and headers (``ReadTimeout`` after ``read_s``)."""
        while self.response is None:
            if self.failure is not None:
                raise self.failure
            await self._wait(read_s, httpx.ReadTimeout, "no response head within")
        return UpstreamResponse(self, self.status, self.response, read_s)

    def take_body(self) -> bytes:
        """The body bytes received so far (then forgotten); raises what ended it early."""
        chunks = self.chunks
        if chunks:
            self.chunks = []
            self.buffered = 0
            if self.reading_paused and self.transport is not None:
                self.reading_paused = False
                self.transport.resume_reading()
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        if self.failure is not None:
            raise self.failure
        return b""

    async def wait(self, read_s: float) -> None:
        await self._wait(read_s, httpx.ReadTimeout, "no data within")

    def finished(self) -> bool:
        """Can this connection carry another request? Only after a complete, keep-alive
        response with nothing left unread."""
        self.active = False
        return (
            self.complete
            and self.keep_alive
            and self.failure is None
            and not self.closed
            and not self.chunks
        )

    def abort(self) -> None:
        """Drop the socket now (no FIN handshake wait): the upstream sees the call end."""
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    # -- internals --------------------------------------------------------------------

    async def _wait(self, limit: float, timeout: type[httpx.TimeoutException], what: str) -> None:
        waiter = self.waiter = self.loop.create_future()
        timer = self.loop.call_later(limit, _expire, waiter)
        try:
            await waiter
        except TimeoutError:
            self.abort()
            raise timeout(f"{what} {limit:g}s") from None
        finally:
            timer.cancel()
            self.waiter = None

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, failure: httpx.HTTPError) -> None:
        self.failure = failure
        self.abort()

    def _finish_body(self) -> None:
        if self.decoder is not None:
            rest = self.decoder.flush()
            if rest:
                self.chunks.append(rest)
        self.complete = True
        self._wake()

    def _lost_failure(self) -> httpx.TransportError:
        if self.lost_error is not None:
            return httpx.ReadError(f"connection lost: {self.lost_error}")
        if not self.received:
            return httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())
