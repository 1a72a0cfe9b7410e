"""The gateway's upstream HTTP client (``upstream_pool``/``upstream_conn``) on real sockets.

Every case runs a real HTTP/1.1 server on 127.0.0.1 (``loopback_http``) that writes exactly
the bytes the case needs: keep-alive reuse and its bounds, bodies by length, by chunks and
by close, a server that hangs up, a truncated body, a stalled server, a body past the
limit, a cancelled call, TLS against a self-signed certificate. Errors must be httpx's own
types (the one error mapping reads them).
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from loopback_http import LoopbackServer, SeenRequest, chunk, ok, response, self_signed

from routr_cli.errors import MalformedResponseError
from routr_cli.providers import http_provider, upstream_conn
from routr_cli.providers.async_http import AsyncChat
from routr_cli.providers.base import ChatRequest, Message
from routr_cli.providers.http_provider import HttpChatProvider
from routr_cli.providers.registry import resolve_model
from routr_cli.providers.retry import RetryPolicy
from routr_cli.providers.upstream_pool import UpstreamPool

QUICK = httpx.Timeout(connect=1.0, read=0.3, write=1.0, pool=0.3)


def run(case: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(case())


async def post(pool: UpstreamPool, url: str, body: bytes = b"{}", **kw: Any) -> tuple[int, bytes]:
    async with pool.stream(
        "POST", url + "/v1/x", headers=kw.get("headers", {}), content=body,
        timeout=kw.get("timeout", QUICK),
    ) as answer:  # fmt: skip
        return answer.status_code, await answer.aread()


def test_keep_alive_reuses_one_connection_and_sends_a_proper_request() -> None:
    async def case() -> None:
        async with LoopbackServer(ok) as server:
            pool = UpstreamPool()
            bodies = [await post(pool, server.url, b'{"n":%d}' % i) for i in range(3)]
            assert bodies == [(200, b"0")] * 3  # all on connection 0
            assert server.connections == 1 and pool.open_connections(server.url) == (1, 1)
            seen = server.requests[2]
            assert seen.head.startswith("POST /v1/x HTTP/1.1\r\n")
            assert seen.header("host") == server.url.removeprefix("http://")
            assert seen.body == b'{"n":2}' and seen.header("content-length") == "7"
            await pool.aclose()

    run(case)


def test_idle_connections_are_reused_last_in_first_out() -> None:
    """Two connections busy at once; the one released last carries the next request."""

    async def case() -> None:
        gate = asyncio.Event()

        async def first_waits(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            if seen.body == b"slow":
                await gate.wait()
            writer.write(response(str(seen.connection).encode()))
            return True

        async with LoopbackServer(first_waits) as server:
            pool = UpstreamPool()
            slow = asyncio.create_task(post(pool, server.url, b"slow"))
            await asyncio.sleep(0.05)
            fast = await post(pool, server.url, b"fast")  # a second connection
            gate.set()
            assert (await slow, fast) == ((200, b"0"), (200, b"1"))  # 0 released last
            assert await post(pool, server.url) == (200, b"0")
            await pool.aclose()

    run(case)


def test_a_server_that_closes_an_idle_connection_is_noticed_without_a_failed_call() -> None:
    async def case() -> None:
        async with LoopbackServer(ok) as server:
            pool = UpstreamPool()
            assert await post(pool, server.url) == (200, b"0")
            server.writers[0].close()  # the server's keep-alive timeout: FIN on the idle socket
            await asyncio.sleep(0.05)
            assert pool.open_connections(server.url) == (0, 0)  # forgotten on the FIN
            assert await post(pool, server.url) == (200, b"1")  # a fresh one, no error
            await pool.aclose()

    run(case)


def test_a_request_the_server_drops_after_reading_it_is_an_error_not_a_resend() -> None:
    """Once sent, a POST may have been acted on: the provider's retry policy decides."""

    async def case() -> None:
        async def drop_second(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            if len(server.requests) == 2:
                return False  # close without answering
            writer.write(response(b"ok"))
            return True

        async with LoopbackServer(drop_second) as server:
            pool = UpstreamPool()
            await post(pool, server.url)
            with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
                await post(pool, server.url)
            assert len(server.requests) == 2  # not sent again behind the caller's back
            assert pool.open_connections(server.url) == (0, 0)
            assert await post(pool, server.url) == (200, b"ok")

    run(case)


def test_idle_connections_expire() -> None:
    async def case() -> None:
        async with LoopbackServer(ok) as server:
            pool = UpstreamPool(idle_expiry_s=0.05)
            assert await post(pool, server.url) == (200, b"0")
            await asyncio.sleep(0.1)
            assert await post(pool, server.url) == (200, b"1")
            assert pool.open_connections(server.url) == (1, 1)

    run(case)


def test_bodies_by_length_by_chunks_by_close_and_compressed() -> None:
    async def case() -> None:
        async def various(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            kind = seen.body.decode()
            if kind == "chunked":
                writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                for part in (b"data: a\n\n", b"data: b\n\n"):
                    writer.write(chunk(part))
                    await writer.drain()
                    await asyncio.sleep(0.02)  # separate reads on the client
                writer.write(b"0\r\n\r\n")
                return True
            if kind == "close":  # no length, not chunked: the body ends with the socket
                writer.write(b"HTTP/1.1 200 OK\r\n\r\nuntil the end")
                return False
            if kind == "gzip":
                packed = gzip.compress(b"unpacked")
                writer.write(response(packed, extra="content-encoding: gzip\r\n"))
                return True
            if kind == "continue":
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n" + response(b"after"))
                return True
            writer.write(response(b"x" * 100_000))
            return True

        async with LoopbackServer(various) as server:
            pool = UpstreamPool()
            async with pool.stream(
                "POST", server.url + "/s", headers={}, content=b"chunked", timeout=QUICK
            ) as answer:
                parts = [part async for part in answer.aiter_bytes()]
            assert parts == [b"data: a\n\n", b"data: b\n\n"]  # as they came
            assert await post(pool, server.url, b"length") == (200, b"x" * 100_000)
            assert await post(pool, server.url, b"gzip") == (200, b"unpacked")
            assert await post(pool, server.url, b"continue") == (200, b"after")
            assert server.connections == 1  # all of those kept the connection
            assert await post(pool, server.url, b"close") == (200, b"until the end")
            assert pool.open_connections(server.url) == (0, 0)  # not reusable

    run(case)


def test_a_truncated_body_is_a_protocol_error() -> None:
    async def case() -> None:
        async def short(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten..")
            return False

        async with LoopbackServer(short) as server:
            pool = UpstreamPool()
            with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
                await post(pool, server.url)
            assert pool.open_connections(server.url) == (0, 0)

    run(case)


def test_garbage_instead_of_http_is_a_protocol_error() -> None:
    async def case() -> None:
        async def garbage(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")
            return True

        async with LoopbackServer(garbage) as server:
            with pytest.raises(httpx.RemoteProtocolError, match="invalid HTTP"):
                await post(UpstreamPool(), server.url)

    run(case)


def test_a_silent_server_hits_the_read_timeout_and_the_socket_is_closed() -> None:
    async def case() -> None:
        async def silent(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            await asyncio.sleep(5)
            return False

        async with LoopbackServer(silent) as server:
            pool = UpstreamPool()
            started = time.monotonic()
            with pytest.raises(httpx.ReadTimeout):
                await post(pool, server.url)
            assert 0.25 < time.monotonic() - started < 1.0
            assert pool.open_connections(server.url) == (0, 0)

    run(case)


def test_a_stream_that_stalls_mid_body_hits_the_read_timeout() -> None:
    async def case() -> None:
        async def stall(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + chunk(b"a"))
            await writer.drain()
            await asyncio.sleep(5)
            return False

        async with LoopbackServer(stall) as server:
            pool = UpstreamPool()
            got: list[bytes] = []
            with pytest.raises(httpx.ReadTimeout):
                async with pool.stream(
                    "POST", server.url, headers={}, content=b"", timeout=QUICK
                ) as answer:
                    async for part in answer.aiter_bytes():
                        got.append(part)
            assert got == [b"a"]

    run(case)


async def seconds_until_the_server_sees_a_hang_up() -> float | None:
    """Cancel a call whose stream the server holds open; how long until the server reads
    the end of the connection (None: not within half a second)."""
    loop = asyncio.get_running_loop()
    hung_up: asyncio.Future[float] = loop.create_future()

    async def hold(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + chunk(b"a"))
        await writer.drain()
        await seen.reader.read()  # b"" once the client's end is closed
        hung_up.set_result(time.monotonic())
        return False

    async with LoopbackServer(hold) as server:
        pool = UpstreamPool()

        async def read_forever() -> None:
            async with pool.stream(
                "POST", server.url, headers={}, content=b"", timeout=httpx.Timeout(30)
            ) as answer:
                async for _ in answer.aiter_bytes():
                    pass

        task = asyncio.create_task(read_forever())
        await asyncio.sleep(0.1)
        cancelled = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert pool.open_connections(server.url) == (0, 0)  # its slot is free either way
        try:
            return await asyncio.wait_for(hung_up, 0.5) - cancelled
        except TimeoutError:
            return None


def test_cancelling_a_call_closes_its_socket_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that hung up cancels the gateway's task: the upstream must see the end
    (and stop generating). Control: without the abort the socket stays open."""
    seconds = asyncio.run(seconds_until_the_server_sees_a_hang_up())
    assert seconds is not None and seconds < 0.1
    monkeypatch.setattr(upstream_conn.UpstreamConnection, "abort", lambda self: None)
    assert asyncio.run(seconds_until_the_server_sees_a_hang_up()) is None


def test_back_pressure_bounds_what_an_unread_body_buffers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast upstream and a consumer that does not read leave at most ``HIGH_WATER`` (plus
    one socket read) buffered; the control shows the whole body piling up without it."""

    async def buffered_after_a_pause(high_water: int) -> int:
        monkeypatch.setattr(upstream_conn, "HIGH_WATER", high_water)
        big = b"y" * (8 * 1024 * 1024)

        async def flood(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(response(big))
            return True

        async with LoopbackServer(flood) as server:
            pool = UpstreamPool()
            async with pool.stream(
                "POST", server.url, headers={}, content=b"", timeout=QUICK
            ) as answer:
                await asyncio.sleep(0.3)  # not reading
                held = answer._conn.buffered
                total = 0
                async for part in answer.aiter_bytes():
                    total += len(part)
            assert total == len(big)  # resumed and read to the end
            return held

    assert asyncio.run(buffered_after_a_pause(256 * 1024)) <= 256 * 1024 + 512 * 1024
    assert asyncio.run(buffered_after_a_pause(1 << 40)) == 8 * 1024 * 1024  # control


def test_an_oversized_answer_is_refused_and_its_connection_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An upstream that never stops sending: the body limit (``BodyMeter``, shared with the
    synchronous path) ends the call as malformed and the socket is closed."""
    monkeypatch.setattr(http_provider, "MAX_BODY_BYTES", 100_000)

    async def case() -> None:
        async def endless(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            while True:
                writer.write(chunk(b"z" * 16384))
                await writer.drain()

        async with LoopbackServer(endless) as server:
            monkeypatch.setenv("ROUTR_OPENAI_BASE_URL", server.url + "/v1")
            monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
            with httpx.Client() as sync_client:
                provider = resolve_model(
                    "openai/m", sync_client, retry=RetryPolicy(max_attempts=1)
                ).provider
            assert isinstance(provider, HttpChatProvider)
            pool = UpstreamPool()
            request = ChatRequest(model="m", messages=[Message("user", "hi")])
            with pytest.raises(MalformedResponseError, match="body larger than 100000 bytes"):
                await AsyncChat(provider, pool).complete(request)
            assert pool.open_connections(server.url) == (0, 0)
            await asyncio.wait_for(server.client_closed.wait(), 1.0)

    run(case)


def test_the_connection_bound_queues_requests_and_the_pool_timeout_ends_the_wait() -> None:
    async def case() -> None:
        async def slowish(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            await asyncio.sleep(0.1)
            writer.write(response(b"ok"))
            return True

        async with LoopbackServer(slowish) as server:
            pool = UpstreamPool(max_connections=2)
            answers = await asyncio.gather(*(post(pool, server.url) for _ in range(6)))
            assert answers == [(200, b"ok")] * 6
            assert server.most_open == 2 and server.connections == 2
            tight = httpx.Timeout(connect=1.0, read=1.0, write=1.0, pool=0.05)
            with pytest.raises(httpx.PoolTimeout):
                await asyncio.gather(*(post(pool, server.url, timeout=tight) for _ in range(3)))
            await asyncio.sleep(0.3)  # the ones that did get a connection finish
            assert pool.open_connections(server.url) == (2, 2)

    run(case)


def test_connection_refused_is_a_connect_error() -> None:
    async def case() -> None:
        async with LoopbackServer(ok) as server:
            url = server.url
        await asyncio.sleep(0.05)
        pool = UpstreamPool()
        with pytest.raises(httpx.ConnectError):
            await post(pool, url)
        assert pool.open_connections(url) == (0, 0)

    run(case)


def test_a_header_that_would_smuggle_a_line_is_refused() -> None:
    async def case() -> None:
        async with LoopbackServer(ok) as server:
            pool = UpstreamPool()
            with pytest.raises(httpx.LocalProtocolError):
                await post(pool, server.url, headers={"x-tag": "a\r\nx-admin: yes"})
            assert server.requests == []

    run(case)


def test_tls_against_a_self_signed_server(tmp_path: Path) -> None:
    """Trusted when its certificate is given; refused (a connect error) by the default
    context, certifi's roots, as httpx refuses it."""
    cert, key = self_signed(tmp_path)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)

    async def case() -> None:
        async with LoopbackServer(ok, tls=server_side) as server:
            assert server.url.startswith("https://")
            trusting = UpstreamPool(ssl_context=ssl.create_default_context(cafile=str(cert)))
            assert [await post(trusting, server.url) for _ in range(2)] == [(200, b"0")] * 2
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await post(UpstreamPool(), server.url)
            await trusting.aclose()

    run(case)


async def holding_server(
    on_connect: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> tuple[asyncio.Server, str]:
    """A bare TCP server (no HTTP) whose connections run ``on_connect``."""
    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    return server, f"127.0.0.1:{server.sockets[0].getsockname()[1]}"


def test_a_tls_handshake_never_answered_hits_the_connect_timeout() -> None:
    async def case() -> None:
        async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await asyncio.sleep(5)

        server, where = await holding_server(mute)
        started = time.monotonic()
        with pytest.raises(httpx.ConnectTimeout):
            await post(UpstreamPool(), "https://" + where)
        assert 0.9 < time.monotonic() - started < 2.0  # QUICK's connect limit is 1 s
        server.close()

    run(case)


def test_a_server_that_never_reads_a_large_body_hits_the_write_timeout() -> None:
    async def case() -> None:
        async def deaf(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await asyncio.sleep(5)

        server, where = await holding_server(deaf)
        pool = UpstreamPool()
        started = time.monotonic()
        with pytest.raises(httpx.WriteTimeout):
            await post(pool, "http://" + where, b"x" * (64 * 1024 * 1024))
        assert time.monotonic() - started < 2.0
        assert pool.open_connections("http://" + where) == (0, 0)
        server.close()

    run(case)


def test_an_answer_before_the_body_was_taken_is_read_not_timed_out() -> None:
    """A server may refuse an upload (413) before reading it: the answer ends the wait."""

    async def case() -> None:
        async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(response(b"too big", status=413, extra="connection: close\r\n"))
            await asyncio.sleep(5)  # and never reads the body

        server, where = await holding_server(refuse)
        patient = httpx.Timeout(connect=1.0, read=5.0, write=5.0, pool=1.0)
        started = time.monotonic()
        answer = await post(UpstreamPool(), "http://" + where, b"x" * (64 * 1024 * 1024),
                            timeout=patient)  # fmt: skip
        assert answer == (413, b"too big") and time.monotonic() - started < 2.0
        server.close()

    run(case)


def test_an_endless_response_head_is_refused_not_buffered() -> None:
    async def case() -> None:
        async def endless_header(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
            writer.write(b"HTTP/1.1 200 OK\r\nx-pad: ")
            for _ in range(64):
                writer.write(b"p" * 4096)  # one header value, never ended
                await writer.drain()
            await asyncio.sleep(5)
            return False

        async with LoopbackServer(endless_header) as server:
            pool = UpstreamPool()
            started = time.monotonic()
            with pytest.raises(httpx.RemoteProtocolError, match="response head over 65536"):
                await post(pool, server.url, timeout=httpx.Timeout(5.0))
            assert time.monotonic() - started < 1.0  # refused, not waited out
            assert pool.open_connections(server.url) == (0, 0)

    run(case)
