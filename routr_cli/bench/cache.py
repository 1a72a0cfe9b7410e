"""The response cache: a re-run never pays twice for the same model call.

The key is sha256 over (model name, epoch, request body). The epoch is part of it
because a real provider's request body does not change between epochs, and replaying
epoch 0's answer for epoch 1 would make every extra epoch a copy.

Policy (documented for users): an attempt answered from the cache records the
*original* usage, cost and latency, so rankings describe the model rather than the
cache; the attempt's ``cached_responses`` counts the replayed turns, and the spend shown
by a run (and checked against ``--max-cost``) counts only calls actually paid for.

The known responses are loaded once at the start of a run into a ``ResponseCache``
shared by the workers; each attempt gets its own ``CachingProvider`` that records what
it replayed and what it fetched, and the fetched ones are persisted with the attempt by
the single writer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from routr_cli.bench.keys import canonical_json
from routr_cli.errors import ProviderError
from routr_cli.providers.base import ChatRequest, ChatResponse, Provider, Usage
from routr_cli.solvers.base import add_usage
from routr_cli.store.records import CacheEntry


class RunCancelled(ProviderError):
    """Raised inside a worker at its next model call or grading once the run is stopping."""


def cache_key(model: str, epoch: int, request: ChatRequest) -> str:
    body = canonical_json({"model": model, "epoch": epoch, "request": dataclasses.asdict(request)})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def response_to_json(response: ChatResponse) -> dict[str, Any]:
    return dataclasses.asdict(response)


def response_from_json(data: dict[str, Any]) -> ChatResponse:
    fields = dict(data)
    fields["usage"] = Usage(**fields.get("usage", {}))
    known = {f.name for f in dataclasses.fields(ChatResponse)}
    return ChatResponse(**{k: v for k, v in fields.items() if k in known})


class ResponseCache:
    """Responses by key, shared by the worker threads of one run."""

    def __init__(self, known: dict[str, dict[str, Any]], *, read: bool = True) -> None:
        self._known = dict(known) if read else {}
        self._lock = threading.Lock()

    def get(self, key: str) -> ChatResponse | None:
        with self._lock:
            data = self._known.get(key)
        return response_from_json(data) if data is not None else None

    def put(self, key: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._known[key] = data


@dataclass
class CacheStats:
    replayed: int = 0
    paid_usage: Usage = field(default_factory=Usage)
    new_entries: list[CacheEntry] = field(default_factory=list)


class CachingProvider:
    """A Provider for one attempt: replays cached answers, records fresh ones."""

    def __init__(
        self,
        inner: Provider,
        model: str,
        epoch: int,
        cache: ResponseCache,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = model
        self.epoch = epoch
        self.cache = cache
        self.should_stop = should_stop
        self.stats = CacheStats()

    def complete(self, request: ChatRequest) -> ChatResponse:
        if self.should_stop():
            raise RunCancelled("the run is stopping")
        key = cache_key(self.model, self.epoch, request)
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.replayed += 1
            return cached
        response = self.inner.complete(request)
        data = response_to_json(response)
        self.cache.put(key, data)
        self.stats.paid_usage = add_usage(self.stats.paid_usage, response.usage)
        self.stats.new_entries.append(CacheEntry(key, self.model, data))
        return response

    def stream(self, request: ChatRequest) -> Generator[str, None, ChatResponse]:
        """Streams are not cached: a solver that streams pays for every call."""
        if self.should_stop():
            raise RunCancelled("the run is stopping")
        response = yield from self.inner.stream(request)
        self.stats.paid_usage = add_usage(self.stats.paid_usage, response.usage)
        return response


@dataclass(frozen=True)
class CachedModel:
    """A resolved model whose provider is swapped for a per-attempt ``CachingProvider``."""

    name: str
    model_id: str
    provider: CachingProvider
    context_window: int | None = None
