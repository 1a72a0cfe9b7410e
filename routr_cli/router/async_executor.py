"""The async executor for ``routr serve``: the same failover rules, an async loop.

``Failover`` (``executor.py``) holds every rule of a routed call -- which candidates to
skip, what an error means for the breaker, how a result is named and billed -- without
I/O; ``Executor`` adds the candidate set-up (``_prepare``) shared here. This class only
writes the two loops again with ``await``, calling each provider through its async twin
(``providers/async_http.AsyncChat``) on one ``providers/upstream_pool.UpstreamPool``.

``stream`` yields text deltas and then, as its last item, the ``CallResult``; after a
delta went out, a failure ends the stream with ``partial=True`` (never a silent failover,
never a truncated answer passed off as complete). Cancelling the task that consumes it (a
client that hung up) closes the upstream request.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass

import httpx

from routr_cli.errors import ProviderError
from routr_cli.providers.async_http import AsyncChat
from routr_cli.providers.base import ChatResponse, Message
from routr_cli.providers.http_provider import HttpChatProvider
from routr_cli.providers.registry import ResolvedModel, resolve_model
from routr_cli.providers.upstream_pool import UpstreamPool
from routr_cli.router.breaker import BreakerBoard
from routr_cli.router.executor import (
    CallResult,
    Executor,
    ExecutorSettings,
    Failover,
    Pricer,
    Resolver,
    catalog_cost,
)
from routr_cli.router.policy import Candidate


@dataclass(frozen=True)
class StreamStart:
    """Yielded by ``astream(announce=True)`` just before a candidate's first delta: who
    serves (so a gateway can name it in headers sent before the body) and the seconds spent
    waiting on upstreams so far (so it can tell its own overhead apart)."""

    model: str
    upstream_s: float


class AsyncExecutor(Executor):
    """Routed calls on an event loop. ``sync_client`` only satisfies the resolver's
    signature (providers are built around one); every byte goes over ``client``."""

    def __init__(
        self,
        client: UpstreamPool,
        breakers: BreakerBoard | None = None,
        settings: ExecutorSettings | None = None,
        *,
        resolver: Resolver = resolve_model,
        clock: Callable[[], float] = time.monotonic,
        pricer: Pricer = catalog_cost,
        keep_providers: bool = False,
    ) -> None:
        super().__init__(
            httpx.Client(), breakers, settings, resolver=resolver, clock=clock, pricer=pricer,
            keep_providers=keep_providers,
        )  # fmt: skip
        self.async_client = client

    def _chat(self, resolved: ResolvedModel) -> AsyncChat:
        provider = resolved.provider
        if not isinstance(provider, HttpChatProvider):  # pragma: no cover - all are HTTP
            raise TypeError(f"{resolved.name}: provider has no HTTP twin")
        return AsyncChat(provider, self.async_client)

    async def acomplete(
        self,
        candidates: Sequence[Candidate],
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> CallResult:
        state = self._begin(messages)
        for index, candidate in enumerate(candidates):
            prepared = self._prepare(state, candidates, index)
            if prepared is None:
                continue
            resolved, _ = prepared
            began = self.clock()
            request = self._request(resolved, messages, max_tokens, temperature, extra)
            try:
                response = await self._chat(resolved).complete(request)
            except ProviderError as exc:
                state.failed(candidate, exc, self.clock() - began)
                continue
            return state.served(candidate, response, self.clock())
        self._deadline_error(state)
        return state.gave_up(self.clock())

    async def astream(
        self,
        candidates: Sequence[Candidate],
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        extra: Mapping[str, object] | None = None,
        announce: bool = False,
    ) -> AsyncIterator[str | CallResult | StreamStart]:
        state = self._begin(messages)
        for index, candidate in enumerate(candidates):
            prepared = self._prepare(state, candidates, index)
            if prepared is None:
                continue
            resolved, _ = prepared
            result = None
            async for item in self._one_stream(
                state, candidate, resolved, messages, max_tokens, temperature, extra
            ):
                if isinstance(item, CallResult):
                    result = item
                elif isinstance(item, StreamStart):
                    if announce:
                        yield item
                else:
                    yield item
            if result is not None:
                yield result
                return
        self._deadline_error(state)
        yield state.gave_up(self.clock())

    async def _one_stream(
        self,
        state: Failover,
        candidate: Candidate,
        resolved: ResolvedModel,
        messages: Sequence[Message],
        max_tokens: int | None,
        temperature: float | None,
        extra: Mapping[str, object] | None,
    ) -> AsyncIterator[str | CallResult | StreamStart]:
        """One candidate's stream: deltas, then its result; nothing more when it failed
        before any text (the caller falls over to the next candidate)."""
        began = self.clock()
        first: float | None = None
        sent: list[str] = []
        request = self._request(resolved, messages, max_tokens, temperature, extra)
        items = self._chat(resolved).stream(request)
        try:
            async for item in items:
                if isinstance(item, ChatResponse):
                    ttft = None if first is None else first - state.started
                    yield state.served(candidate, item, self.clock(), ttft)
                    return
                if first is None:
                    first = self.clock()
                    waited = sum(a.latency_s for a in state.attempts) + (first - began)
                    yield StreamStart(candidate.model, waited)
                sent.append(item)
                yield item
        except ProviderError as exc:
            state.failed(
                candidate, exc, self.clock() - began, None if first is None else first - began
            )
            if sent:  # text already reached the caller: no silent failover
                yield state.gave_up(self.clock(), partial_text="".join(sent), model=candidate.model)
        finally:
            await items.aclose()  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        self.client.close()
