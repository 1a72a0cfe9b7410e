"""The async twin hands a finished stream's connection back to the pool.

An SSE answer ends with ``[DONE]``; the reader is done before httpx has seen the end of
the body, and an unread body makes httpx close the connection, so the next call paid a
new TCP connection (connect, close: a third of serve's CPU per streamed request). The
server here counts the connections it accepts; the control shows the count without the
drain.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from routr_cli.providers import async_http
from routr_cli.providers.async_http import AsyncChat
from routr_cli.providers.base import ChatRequest, ChatResponse, Message
from routr_cli.providers.http_provider import HttpChatProvider
from routr_cli.providers.registry import resolve_model

EVENTS = (
    b"".join(
        b"data: " + json.dumps(event).encode() + b"\n\n"
        for event in (
            {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}}]},
            {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        )
    )
    + b"data: [DONE]\n\n"
)


async def keepalive_server(accepted: list[asyncio.StreamWriter]) -> asyncio.Server:
    """HTTP/1.1 with keep-alive: every POST gets the SSE body above, content-length set."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.decode().split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                    + f"content-length: {len(EVENTS)}\r\n\r\n".encode()
                    + EVENTS
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def two_streams() -> int:
    accepted: list[asyncio.StreamWriter] = []
    server = await keepalive_server(accepted)
    port = server.sockets[0].getsockname()[1]
    mp = pytest.MonkeyPatch()
    mp.setenv("ROUTR_OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    mp.setenv("OPENAI_API_KEY", "sk-test")
    try:
        with httpx.Client() as sync_client:
            provider = resolve_model("openai/m", sync_client).provider
        assert isinstance(provider, HttpChatProvider)
        async with httpx.AsyncClient() as client:
            chat = AsyncChat(provider, client)
            for _ in range(2):
                request = ChatRequest(model="m", messages=[Message("user", "hi")])
                items = [item async for item in chat.stream(request)]
                assert items[0] == "Hi" and isinstance(items[-1], ChatResponse)
    finally:
        mp.undo()
        server.close()
    return len(accepted)


def test_two_streamed_calls_share_one_connection() -> None:
    assert asyncio.run(two_streams()) == 1


def test_control_without_the_drain_each_stream_opens_a_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_drain(chunks: object) -> None:
        return None

    monkeypatch.setattr(async_http, "_drain", no_drain)
    assert asyncio.run(two_streams()) == 2


def test_the_gateway_client_looks_each_socket_up_once_and_still_sees_a_hang_up() -> None:
    """``pooled_client`` swaps in ``_SocketInfoBackend``; an idle connection the server closed
    must still read as expired (so httpcore drops it rather than send on it)."""

    async def check() -> None:
        accepted: list[asyncio.StreamWriter] = []
        server = await keepalive_server(accepted)
        port = server.sockets[0].getsockname()[1]
        client = async_http.pooled_client(httpx.Limits(max_keepalive_connections=4))
        async with client:
            pool = client._transport._pool  # type: ignore[attr-defined]
            assert isinstance(pool._network_backend, async_http._SocketInfoBackend)
            for _ in range(2):
                response = await client.post(f"http://127.0.0.1:{port}/v1", content=b"{}")
                assert response.status_code == 200 and response.content == EVENTS
            assert len(accepted) == 1  # kept alive and reused
            (connection,) = pool.connections
            stream = connection._connection._network_stream
            assert isinstance(stream, async_http._SocketInfoStream)
            assert stream.get_extra_info("is_readable") is False  # idle, healthy
            accepted[0].close()  # the server hangs up on the idle connection
            await asyncio.sleep(0.05)
            assert stream.get_extra_info("is_readable") is True  # seen: expired
            response = await client.post(f"http://127.0.0.1:{port}/v1", content=b"{}")
            assert response.status_code == 200 and len(accepted) == 2  # a fresh one
        server.close()

    asyncio.run(check())
