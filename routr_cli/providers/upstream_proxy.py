"""Proxies for the gateway's upstream client, chosen as the synchronous client's are.

``routr call`` and ``routr bench`` reach providers through httpx, which follows the
environment's ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` and ``NO_PROXY``; a gateway
on the same machine must reach them the same way, or a network that only lets traffic out
through a proxy would serve nothing. ``proxy_for`` makes that choice once per URL (the
environment's variables as ``urllib.request.getproxies`` reads them); ``open_tunnel``
opens an ``https://`` target through an HTTP ``CONNECT`` tunnel, TLS to the provider
inside it. A plain ``http://`` target is sent to the proxy in absolute form (the request
line names the whole URL). Only ``http://`` proxies are spoken to (TLS to the proxy
itself is not supported: a clear error says so). Failures are httpx's exception types.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies

import httpx

_HEAD_LIMIT = 64 * 1024  # a proxy's answer to CONNECT is a few lines


@dataclass(frozen=True)
class Proxy:
    host: str
    port: int
    authorization: str | None  # a Proxy-Authorization value, from the URL's user:password

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def environment_proxies() -> dict[str, str]:
    """Scheme -> proxy URL (and ``no``: the NO_PROXY list), from the environment."""
    return dict(getproxies())


def proxy_for(scheme: str, host: str, proxies: Mapping[str, str]) -> Proxy | None:
    """The proxy a request to ``scheme://host`` goes through, or None (no proxy set for
    the scheme or ``all``, or ``host`` listed in ``no``)."""
    url = proxies.get(scheme) or proxies.get("all")
    if not url or bypassed(host, proxies.get("no", "")):
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme.lower() != "http" or not parts.hostname:
        raise httpx.UnsupportedProtocol(
            f"proxy {url!r}: only http://HOST:PORT proxies are supported by `routr serve`; "
            "set HTTPS_PROXY to one, or list the provider's host in NO_PROXY"
        )
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode("ascii")
    return Proxy(parts.hostname, parts.port or 80, authorization)


def bypassed(host: str, no_proxy: str) -> bool:
    """Whether NO_PROXY (comma-separated) lists ``host``: ``*``, the host itself, or a
    domain it is in (``example.com`` and ``.example.com`` both cover ``api.example.com``);
    a port after an entry is ignored, as curl and httpx ignore it."""
    host = host.lower().rstrip(".")
    for entry in no_proxy.split(","):
        name = entry.strip().lower()
        if name.startswith("[") and "]" in name:  # [::1]:8080
            name = name[1 : name.index("]")]
        elif name.count(":") == 1:  # host:port
            name = name.partition(":")[0]
        name = name.lstrip(".").rstrip(".")
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


class _TunnelAnswer(asyncio.Protocol):
    """Collects the proxy's answer to CONNECT (its head: nothing may follow it)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.head = bytearray()
        self.done: asyncio.Future[bytes] = loop.create_future()

    def data_received(self, data: bytes) -> None:
        self.head += data
        if self.done.done():
            return
        if b"\r\n\r\n" in self.head:
            self.done.set_result(bytes(self.head))
        elif len(self.head) > _HEAD_LIMIT:
            self.done.set_exception(httpx.ProxyError("the proxy's answer to CONNECT is too long"))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_exception(
                httpx.ProxyError("the proxy closed the connection before answering CONNECT")
            )


async def open_tunnel(
    proxy: Proxy,
    authority: str,
    server_hostname: str,
    protocol: asyncio.Protocol,
    tls: ssl.SSLContext,
    user_agent: str,
) -> None:
    """Connect to ``proxy``, ask it to ``CONNECT authority`` (host:port), then run TLS for
    ``server_hostname`` inside the tunnel and hand that transport to ``protocol``. The
    caller bounds the whole by its connect timeout."""
    loop = asyncio.get_running_loop()
    answer = _TunnelAnswer(loop)
    transport, _ = await loop.create_connection(lambda: answer, proxy.host, proxy.port)
    try:
        auth = f"proxy-authorization: {proxy.authorization}\r\n" if proxy.authorization else ""
        transport.write(
            f"CONNECT {authority} HTTP/1.1\r\nhost: {authority}\r\n{auth}"
            f"user-agent: {user_agent}\r\n\r\n".encode("latin-1")
        )
        head = await answer.done
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        code = status.split(" ", 2)[1] if status.count(" ") else ""
        if not (code.isdigit() and 200 <= int(code) < 300):
            raise httpx.ProxyError(f"proxy {proxy} refused CONNECT {authority}: {status!r}")
        if not head.endswith(b"\r\n\r\n") or head.count(b"\r\n\r\n") != 1:
            raise httpx.ProxyError(f"proxy {proxy} sent data after its answer to CONNECT")
        secure = await loop.start_tls(transport, protocol, tls, server_hostname=server_hostname)
    except BaseException:
        transport.abort()
        raise
    if secure is None:  # pragma: no cover - only when the loop closes meanwhile
        raise httpx.ConnectError(f"the TLS tunnel through proxy {proxy} closed")
    protocol.connection_made(secure)
