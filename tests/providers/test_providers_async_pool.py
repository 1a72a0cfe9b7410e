"""The async twin hands a finished stream's connection back to the pool.

An SSE answer ends with ``[DONE]``; the reader is done before the end of the chunked body
(its last, empty chunk) has arrived, and a body not read to its end makes the pool close
the connection, so the next call paid a new TCP connection (connect, close: a third of
serve's CPU per streamed request). The server here sends the body's end a moment after
the events and counts the connections it accepts; the control shows the count without
the drain.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from loopback_http import LoopbackServer, SeenRequest, chunk

from routr_cli.providers import async_http
from routr_cli.providers.async_http import AsyncChat
from routr_cli.providers.base import ChatRequest, ChatResponse, Message
from routr_cli.providers.http_provider import HttpChatProvider
from routr_cli.providers.registry import resolve_model
from routr_cli.providers.upstream_pool import UpstreamPool

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


async def sse_then_end(seen: SeenRequest, writer: asyncio.StreamWriter) -> bool:
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
        b"transfer-encoding: chunked\r\n\r\n" + chunk(EVENTS)
    )
    await writer.drain()
    await asyncio.sleep(0.02)  # the body's end arrives after the reader is done
    writer.write(b"0\r\n\r\n")
    return True


async def two_streams() -> int:
    async with LoopbackServer(sse_then_end) as server:
        mp = pytest.MonkeyPatch()
        mp.setenv("ROUTR_OPENAI_BASE_URL", server.url + "/v1")
        mp.setenv("OPENAI_API_KEY", "sk-test")
        try:
            with httpx.Client() as sync_client:
                provider = resolve_model("openai/m", sync_client).provider
            assert isinstance(provider, HttpChatProvider)
            pool = UpstreamPool()
            chat = AsyncChat(provider, pool)
            for _ in range(2):
                request = ChatRequest(model="m", messages=[Message("user", "hi")])
                items = [item async for item in chat.stream(request)]
                assert items[0] == "Hi" and isinstance(items[-1], ChatResponse)
            await pool.aclose()
        finally:
            mp.undo()
        return server.connections


def test_two_streamed_calls_share_one_connection() -> None:
    assert asyncio.run(two_streams()) == 1


def test_control_without_the_drain_each_stream_opens_a_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_drain(chunks: object) -> None:
        return None

    monkeypatch.setattr(async_http, "_drain", no_drain)
    assert asyncio.run(two_streams()) == 2
