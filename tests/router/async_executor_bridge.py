"""The async executor behind the sync executor's methods, so the fault scenarios written
for ``Executor`` run unchanged against ``AsyncExecutor`` (one conformance suite for both)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Generator, Sequence
from typing import Any

from routr_cli.providers.base import Message
from routr_cli.providers.upstream_pool import UpstreamPool
from routr_cli.router.async_executor import AsyncExecutor
from routr_cli.router.breaker import BreakerBoard
from routr_cli.router.executor import CallResult, ExecutorSettings
from routr_cli.router.policy import Candidate


class BridgedAsyncExecutor(AsyncExecutor):
    def __init__(self, breakers: BreakerBoard, settings: ExecutorSettings) -> None:
        self.loop = asyncio.new_event_loop()
        super().__init__(UpstreamPool(), breakers, settings)

    def complete(
        self, candidates: Sequence[Candidate], messages: Sequence[Message], **kw: Any
    ) -> CallResult:
        return self.loop.run_until_complete(self.acomplete(candidates, messages, **kw))

    def stream(
        self, candidates: Sequence[Candidate], messages: Sequence[Message], **kw: Any
    ) -> Generator[str, None, CallResult]:
        items: AsyncIterator[str | CallResult] = self.astream(candidates, messages, **kw)
        try:
            while True:
                item = self.loop.run_until_complete(anext(items))
                if isinstance(item, CallResult):
                    return item
                yield item
        finally:
            self.loop.run_until_complete(items.aclose())  # type: ignore[attr-defined]

    def shutdown(self) -> None:
        self.loop.run_until_complete(self.async_client.aclose())
        self.client.close()
        self.loop.close()
