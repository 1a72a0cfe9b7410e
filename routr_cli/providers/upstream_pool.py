"""The gateway's HTTP client to providers: keep-alive HTTP/1.1 connections, pooled per host.

``UpstreamPool.stream(method, url, headers=..., content=..., timeout=...)`` is an async
context manager giving an ``UpstreamResponse`` whose head has arrived; leaving it returns the
connection to the pool when the response was read to its end, and aborts the socket
otherwise (an error, a cancelled task -- a client that hung up -- or a body left unread).

Why not httpx's ``AsyncClient``: in ``routr serve`` it cost about two thirds of the CPU of a
request (httpcore's pool scan with a readability poll of every idle socket, h11 events, anyio
streams, response wrappers). This does only what a gateway needs: HTTP/1.1, one request per
connection at a time, TLS by ``ssl`` contexts (httpx's default, certifi's roots), no
cookies, no redirects; the environment's proxies as httpx follows them (``upstream_proxy``:
a CONNECT tunnel for https, absolute-form requests for http). Failures are httpx's
exception types, so the one error mapping (``error_map.error_for_transport``) serves both
this and the synchronous client.

Pool rules, per (scheme, host, port):

- at most ``max_connections`` open; a request beyond waits up to the pool timeout
  (``PoolTimeout``);
- idle connections are reused last-in first-out (the warmest socket; the cold ones at the
  bottom age out), at most ``max_idle`` kept, none older than ``idle_expiry_s``;
- a connection the server closed is known dead as soon as its FIN or RST arrives (no
  polling) and is never picked; one found gone when the request is written goes once
  more on a fresh connection (nothing was sent), as httpcore does. Once a request is out,
  a connection that closes without an answer is an error (``RemoteProtocolError``, or
  ``ReadError`` for a reset), never a silent resend: the server may have acted on it, and
  the provider's retry policy decides, counted and bounded, as on the synchronous path.
  ``idle_expiry_s`` (4 s) stays under the common 5 s server keep-alive (uvicorn, Node),
  so a connection is dropped before the server drops it, which makes that race rare.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from routr_cli import __version__
from routr_cli.providers.upstream_conn import UpstreamConnection, UpstreamResponse
from routr_cli.providers.upstream_proxy import Proxy, environment_proxies, open_tunnel, proxy_for

_DEFAULT_PORTS = {"http": 80, "https": 443}
_NO_LIMIT = 24 * 3600.0  # a timeout phase given as None
USER_AGENT = f"routr/{__version__}"


@dataclass(frozen=True)
class _Target:
    """A URL taken apart once: which pool, what to put in the request line and Host."""

    key: tuple[str, str, int]  # (scheme, host, port)
    host_header: str
    path: str  # the request line's target: the whole URL when sent to a proxy (http)
    proxy: Proxy | None = None
    extra_head: str = ""  # header lines every request carries (a proxy's authorization)


class _Host:
    """The connections to one (scheme, host, port)."""

    __slots__ = ("count", "idle", "waiters")

    def __init__(self) -> None:
        self.idle: list[UpstreamConnection] = []  # a stack: the last released is reused first
        self.count = 0  # open connections, idle or busy
        self.waiters: deque[asyncio.Future[UpstreamConnection | None]] = deque()


class UpstreamPool:
    """Pooled keep-alive connections to every upstream a gateway calls (see the module)."""

    def __init__(
        self,
        *,
        max_connections: int = 100,
        max_idle: int = 20,
        idle_expiry_s: float = 4.0,
        ssl_context: ssl.SSLContext | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> None:
        """``proxies``: scheme -> proxy URL and ``no`` -> hosts to reach directly, as
        ``urllib.request.getproxies`` gives them (None: from the environment, read now)."""
        self.max_connections = max_connections
        self.max_idle = max_idle
        self.idle_expiry_s = idle_expiry_s
        self._ssl_context = ssl_context
        self._proxies = environment_proxies() if proxies is None else dict(proxies)
        self._hosts: dict[tuple[str, str, int], _Host] = {}
        self._targets: dict[str, _Target] = {}
        self._closed = False

    def stream(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        content: bytes,
        timeout: httpx.Timeout,
    ) -> Exchange:
        """One request: ``async with pool.stream(...) as response:``. Any method but HEAD
        (whose answer has a length and no body: not handled, a gateway never sends it)."""
        target = self._target(url)
        return Exchange(self, target, _request_bytes(method, target, headers, content), timeout)

    def open_connections(self, url: str) -> tuple[int, int]:
        """(open, idle) connections to ``url``'s host (what the tests check)."""
        host = self._hosts.get(self._target(url).key)
        return (host.count, len(host.idle)) if host else (0, 0)

    async def aclose(self) -> None:
        """Close the idle connections; busy ones close when their exchange ends."""
        self._closed = True
        for host in self._hosts.values():
            while host.idle:
                self._drop(host, host.idle.pop())

    # -- connections ------------------------------------------------------------------

    async def acquire(self, target: _Target, timeout: httpx.Timeout) -> UpstreamConnection:
        """A live idle connection to ``target`` if there is one, else a new one."""
        if self._closed:
            raise httpx.ConnectError("the upstream pool is closed")
        host = self._hosts.get(target.key)
        if host is None:
            host = self._hosts[target.key] = _Host()
        idle = host.idle
        if idle:
            oldest = asyncio.get_running_loop().time() - self.idle_expiry_s
            while idle:
                conn = idle.pop()
                conn.on_lost = None
                if conn.closed or conn.clean_eof or conn.idle_since < oldest:
                    self._drop(host, conn)
                    continue
                return conn
        return await self.connect(target, timeout)

    async def connect(self, target: _Target, timeout: httpx.Timeout) -> UpstreamConnection:
        """A new connection (waiting for a free slot when the host is at its bound); or a
        connection another exchange released while this one waited."""
        host = self._hosts[target.key]
        while host.count >= self.max_connections:  # again after a wake: the slot may be gone
            handed = await self._wait_for_slot(host, _limit(timeout.pool))
            if handed is not None:
                return handed
        host.count += 1
        try:
            return await self._open(target, _limit(timeout.connect))
        except BaseException:
            host.count -= 1
            self._wake_one(host, None)
            raise

    def release(self, conn: UpstreamConnection) -> None:
        """Back to the pool after a complete response (or to a request waiting for one)."""
        host = self._hosts[conn.key]
        if self._closed:
            self._drop(host, conn)
            return
        if self._wake_one(host, conn):
            return
        conn.idle_since = asyncio.get_running_loop().time()
        conn.on_lost = self._lost_while_idle
        host.idle.append(conn)
        if len(host.idle) > self.max_idle:
            coldest = host.idle.pop(0)
            coldest.on_lost = None
            self._drop(host, coldest)

    def discard(self, conn: UpstreamConnection) -> None:
        """A connection that may not carry another request: closed, its slot freed."""
        host = self._hosts[conn.key]
        self._drop(host, conn)
        self._wake_one(host, None)

    def _drop(self, host: _Host, conn: UpstreamConnection) -> None:
        conn.abort()
        host.count -= 1

    def _lost_while_idle(self, conn: UpstreamConnection) -> None:
        """The server closed an idle connection: forget it now (its socket is gone)."""
        conn.on_lost = None
        host = self._hosts[conn.key]
        if conn in host.idle:
            host.idle.remove(conn)
            host.count -= 1
            self._wake_one(host, None)

    def _wake_one(self, host: _Host, conn: UpstreamConnection | None) -> bool:
        """Hand ``conn`` (or, with None, a free slot) to the longest waiting request."""
        while host.waiters:
            waiter = host.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return True
        return False

    async def _wait_for_slot(self, host: _Host, pool_s: float) -> UpstreamConnection | None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[UpstreamConnection | None] = loop.create_future()
        host.waiters.append(waiter)
        timer = loop.call_later(pool_s, _expire, waiter)
        try:
            return await waiter
        except TimeoutError:
            raise httpx.PoolTimeout(f"no free connection within {pool_s:g}s") from None
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                handed = waiter.result()  # given to us just as we were cancelled: pass it on
                if handed is not None:
                    self.release(handed)
                else:
                    self._wake_one(host, None)
            raise
        finally:
            timer.cancel()

    async def _open(self, target: _Target, connect_s: float) -> UpstreamConnection:
        scheme, hostname, port = target.key
        loop = asyncio.get_running_loop()
        conn = UpstreamConnection(loop, target.key)
        tls = self._tls() if scheme == "https" else None
        proxy = target.proxy
        via = f" through proxy {proxy}" if proxy else ""
        try:
            async with asyncio.timeout(connect_s):
                if proxy is None:
                    await loop.create_connection(
                        lambda: conn,
                        hostname,
                        port,
                        ssl=tls,
                        server_hostname=hostname if tls else None,
                    )
                elif tls is None:  # http: absolute-form requests to the proxy
                    await loop.create_connection(lambda: conn, proxy.host, proxy.port)
                else:
                    await open_tunnel(proxy, f"{hostname}:{port}", hostname, conn, tls, USER_AGENT)
        except TimeoutError:
            conn.abort()
            raise httpx.ConnectTimeout(
                f"no connection to {hostname}:{port}{via} within {connect_s:g}s"
            ) from None
        except OSError as exc:  # refused, unreachable, unknown host, TLS (ssl.SSLError)
            conn.abort()
            raise httpx.ConnectError(f"{hostname}:{port}{via}: {exc}") from None
        except httpx.ProxyError:
            conn.abort()
            raise
        return conn

    def _tls(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()  # certifi's roots, as httpx
        return self._ssl_context

    def _target(self, url: str) -> _Target:
        """The parsed URL, kept: a gateway calls a handful of URLs millions of times."""
        target = self._targets.get(url)
        if target is None:
            if len(self._targets) > 1024:  # bounded whatever a configuration does
                self._targets.clear()
            target = self._targets[url] = self._via_proxy(_parse_target(url))
        return target

    def _via_proxy(self, target: _Target) -> _Target:
        scheme, hostname, _ = target.key
        proxy = proxy_for(scheme, hostname, self._proxies) if self._proxies else None
        if proxy is None:
            return target
        if scheme == "https":  # a tunnel: the requests inside it are as without a proxy
            return replace(target, proxy=proxy)
        auth = f"proxy-authorization: {proxy.authorization}\r\n" if proxy.authorization else ""
        absolute = f"http://{target.host_header}{target.path}"
        return replace(target, proxy=proxy, path=absolute, extra_head=auth)


class Exchange:
    """``async with``: send the request, yield the response head, then hand the connection
    back or abort it (see ``UpstreamPool``)."""

    __slots__ = ("_conn", "_data", "_pool", "_target", "_timeout")

    def __init__(
        self, pool: UpstreamPool, target: _Target, data: bytes, timeout: httpx.Timeout
    ) -> None:
        self._pool = pool
        self._target = target
        self._data = data
        self._timeout = timeout
        self._conn: UpstreamConnection | None = None

    async def __aenter__(self) -> UpstreamResponse:
        pool, timeout = self._pool, self._timeout
        conn = await pool.acquire(self._target, timeout)
        try:
            return await self._send(conn)
        except BaseException as exc:
            self._abandon(conn)
            if not isinstance(exc, _NotSent):
                raise
        # the connection died before the request went out: once more, on a fresh one
        conn = await pool.connect(self._target, timeout)
        try:
            return await self._send(conn)
        except BaseException:
            self._abandon(conn)
            raise

    async def _send(self, conn: UpstreamConnection) -> UpstreamResponse:
        self._conn = conn
        if not conn.send(self._data):
            raise _NotSent("Server disconnected before the request was sent.")
        if conn.writing_paused:
            await conn.drain(_limit(self._timeout.write))
        return await conn.head(_limit(self._timeout.read))

    def _abandon(self, conn: UpstreamConnection) -> None:
        self._conn = None
        conn.active = False
        self._pool.discard(conn)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if conn.finished():  # read to its end: reusable even if the caller then failed
            self._pool.release(conn)
        else:
            self._abandon(conn)


class _NotSent(httpx.RemoteProtocolError):
    """The connection was gone before the request went out: safe to send elsewhere."""


def _limit(seconds: float | None) -> float:
    return _NO_LIMIT if seconds is None else seconds


def _expire(waiter: asyncio.Future[UpstreamConnection | None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


def _parse_target(url: str) -> _Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise httpx.UnsupportedProtocol(f"{url!r}: only http:// and https:// URLs")
    if not parts.hostname:
        raise httpx.UnsupportedProtocol(f"{url!r}: no host")
    port = parts.port or _DEFAULT_PORTS[scheme]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target((scheme, parts.hostname, port), parts.netloc.rpartition("@")[2], path)


_DEFAULT_HEADERS = (("accept", "*/*"), ("accept-encoding", "gzip, deflate"))


def _request_bytes(method: str, target: _Target, headers: Mapping[str, str], body: bytes) -> bytes:
    """The request head and body; a header name or value that would break the head (a
    newline smuggled into a configured header) is refused, as httpx refuses it."""
    lines = [
        f"{method} {target.path} HTTP/1.1\r\nhost: {target.host_header}\r\n{target.extra_head}"
    ]
    given = set()
    for name, value in headers.items():
        if "\n" in value or "\r" in value or "\n" in name or "\r" in name or ":" in name:
            raise httpx.LocalProtocolError(f"header {name!r} has an invalid name or value")
        lines.append(f"{name}: {value}\r\n")
        given.add(name.lower())
    for name, value in _DEFAULT_HEADERS:
        if name not in given:
            lines.append(f"{name}: {value}\r\n")
    if "user-agent" not in given:
        lines.append(f"user-agent: {USER_AGENT}\r\n")
    lines.append(f"content-length: {len(body)}\r\n\r\n")
    try:
        return "".join(lines).encode("latin-1") + body
    except UnicodeEncodeError:
        raise httpx.LocalProtocolError("a header is not latin-1 text") from None
