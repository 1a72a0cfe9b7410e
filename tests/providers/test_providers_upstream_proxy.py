"""The gateway's upstream client through an HTTP proxy, as httpx goes through one.

A loopback proxy (``LoopbackProxy``) answers ``CONNECT`` by tunnelling to the target (a
TLS server with a self-signed certificate), or refuses it, and answers absolute-form
requests itself, recording what it saw. Controls: without a proxy, or with the target in
NO_PROXY, the proxy sees nothing.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvloop
from loopback_http import LoopbackServer, ok, response, self_signed

from routr_cli.providers.upstream_pool import UpstreamPool
from routr_cli.providers.upstream_proxy import bypassed, proxy_for

QUICK = httpx.Timeout(connect=2.0, read=1.0, write=1.0, pool=1.0)


@dataclass
class LoopbackProxy:
    refuse: bool = False
    heads: list[str] = field(default_factory=list)
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://user:p%40ss@127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> LoopbackProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        self.heads.append(head)
        if not head.startswith("CONNECT "):  # absolute form: answered here
            writer.write(response(b"from the proxy"))
            await writer.drain()
            writer.close()
            return
        if self.refuse:
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        host, _, port = head.split(" ", 2)[1].rpartition(":")
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except ConnectionError:
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def post(pool: UpstreamPool, url: str) -> tuple[int, bytes]:
    async with pool.stream("POST", url + "/v1/x", headers={}, content=b"{}", timeout=QUICK) as r:
        return r.status_code, await r.aread()


def tls_server(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    cert, key = self_signed(tmp_path)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    return server_side, ssl.create_default_context(cafile=str(cert))


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])  # uvloop: what `routr serve` runs
def test_https_goes_through_a_connect_tunnel_with_the_proxy_s_credentials(
    tmp_path: Path, loop: str
) -> None:
    server_side, trusting = tls_server(tmp_path)

    async def case() -> None:
        async with LoopbackServer(ok, tls=server_side) as server, LoopbackProxy() as proxy:
            pool = UpstreamPool(ssl_context=trusting, proxies={"https": proxy.url})
            assert [await post(pool, server.url) for _ in range(2)] == [(200, b"0")] * 2
            authority = server.url.removeprefix("https://")
            assert len(proxy.heads) == 1  # one tunnel, kept alive for both requests
            assert proxy.heads[0].startswith(f"CONNECT {authority} HTTP/1.1\r\n")
            token = base64.b64encode(b"user:p@ss").decode()
            assert f"proxy-authorization: Basic {token}\r\n" in proxy.heads[0]
            assert server.requests[0].head.startswith("POST /v1/x HTTP/1.1\r\n")  # inside: as usual
            await pool.aclose()
            direct = UpstreamPool(ssl_context=trusting, proxies={})  # control: no proxy
            assert await post(direct, server.url) == (200, b"1")
            bypass = UpstreamPool(
                ssl_context=trusting, proxies={"https": proxy.url, "no": "127.0.0.1"}
            )
            assert await post(bypass, server.url) == (200, b"2")
            assert len(proxy.heads) == 1  # neither went through it
            await direct.aclose()
            await bypass.aclose()

    if loop == "uvloop":
        uvloop.run(case())
    else:
        asyncio.run(case())


def test_plain_http_is_sent_to_the_proxy_in_absolute_form() -> None:
    async def case() -> None:
        async with LoopbackProxy() as proxy:
            pool = UpstreamPool(proxies={"http": proxy.url})
            assert await post(pool, "http://provider.invalid:8080") == (200, b"from the proxy")
            head = proxy.heads[0]
            assert head.startswith("POST http://provider.invalid:8080/v1/x HTTP/1.1\r\n")
            assert (
                "host: provider.invalid:8080\r\n" in head and "proxy-authorization: Basic" in head
            )
            await pool.aclose()

    asyncio.run(case())


def test_a_refused_tunnel_is_a_proxy_error_naming_the_proxy_and_its_answer(
    tmp_path: Path,
) -> None:
    server_side, trusting = tls_server(tmp_path)

    async def case() -> None:
        async with (
            LoopbackServer(ok, tls=server_side) as server,
            LoopbackProxy(refuse=True) as proxy,
        ):
            pool = UpstreamPool(ssl_context=trusting, proxies={"all": proxy.url})
            with pytest.raises(httpx.ProxyError, match=r"refused CONNECT .*407 Proxy Auth"):
                await post(pool, server.url)
            assert server.connections == 0
            dead = UpstreamPool(proxies={"https": "http://127.0.0.1:9"})  # nothing listens
            with pytest.raises(httpx.ConnectError, match=r"through proxy 127\.0\.0\.1:9"):
                await post(dead, server.url)

    asyncio.run(case())


def test_the_proxy_is_chosen_as_the_environment_says() -> None:
    assert proxy_for("https", "api.openai.com", {}) is None
    chosen = proxy_for("https", "api.openai.com", {"https": "proxy.corp:3128"})
    assert chosen is not None and (chosen.host, chosen.port, chosen.authorization) == (
        "proxy.corp", 3128, None,
    )  # fmt: skip
    assert proxy_for("http", "h", {"https": "http://p:1"}) is None  # per scheme
    assert proxy_for("http", "h", {"all": "http://p:1"}) is not None
    assert bypassed("api.openai.com", "localhost, .openai.com")
    assert bypassed("openai.com", "openai.com:443") and bypassed("x", "*")
    assert not bypassed("notopenai.com", "openai.com") and not bypassed("a.b", "")
    with pytest.raises(httpx.UnsupportedProtocol, match="only http://HOST:PORT proxies"):
        proxy_for("https", "h", {"https": "https://secure-proxy:443"})


def test_the_pool_reads_the_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    async def case() -> None:
        async with LoopbackProxy() as proxy:
            monkeypatch.setenv("HTTP_PROXY", proxy.url)
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
            pool = UpstreamPool()  # as `routr serve` makes it
            assert await post(pool, "http://provider.invalid") == (200, b"from the proxy")
            monkeypatch.setenv("NO_PROXY", "provider.invalid")
            with pytest.raises(httpx.ConnectError):  # bypassed: straight to a host that is not
                await post(UpstreamPool(), "http://provider.invalid")
            assert len(proxy.heads) == 1
            await pool.aclose()

    asyncio.run(case())
