"""Run the async twin (``providers/async_http.AsyncChat``) behind the sync ``Provider`` shape.

The provider tests take a ``resolve`` fixture that is parametrised over both I/O paths, so
every adapter and fault scenario is one conformance suite for the synchronous provider and
its async twin: the twin cannot drift from the path the bench uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Generator

from routr_cli.providers.async_http import AsyncChat
from routr_cli.providers.base import ChatRequest, ChatResponse
from routr_cli.providers.http_provider import HttpChatProvider
from routr_cli.providers.upstream_pool import UpstreamPool


class AsyncBridge:
    """A ``Provider`` whose calls run ``AsyncChat`` on a private event loop."""

    def __init__(self, provider: HttpChatProvider) -> None:
        self.inner = provider
        self.name = provider.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        async def call() -> ChatResponse:
            pool = UpstreamPool()
            try:
                return await AsyncChat(self.inner, pool).complete(request)
            finally:
                await pool.aclose()

        return asyncio.run(call())

    def stream(self, request: ChatRequest) -> Generator[str, None, ChatResponse]:
        loop = asyncio.new_event_loop()
        client = UpstreamPool()
        items: AsyncIterator[str | ChatResponse] = AsyncChat(self.inner, client).stream(request)
        try:
            while True:
                item = loop.run_until_complete(anext(items))
                if isinstance(item, ChatResponse):
                    return item
                yield item
        finally:
            loop.run_until_complete(items.aclose())  # type: ignore[attr-defined]
            loop.run_until_complete(client.aclose())
            loop.close()
