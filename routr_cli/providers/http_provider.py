"""The shared HTTP machinery behind every adapter: transport, timeouts, retries, errors.

An adapter (OpenAI-compatible, Anthropic, Gemini) only says how to build its request and how
to read its response and its stream -- the *API format*. Everything a vendor does not choose
lives here once: one injected ``httpx.Client`` (thread-safe, shared by all providers and
threads), per-request ``httpx.Timeout`` (connect; read = first-byte and per-chunk stall
limit), an overall per-call deadline, retries with backoff, and the error mapping. This is
the split pydantic-ai makes between a model's API format and its provider.

Timing: ``latency_s`` is the wall time of the whole call, retries included; ``ttft_s``
(streams only) runs from the call's start to the first text delta. A stream is retried only
before its first delta has been handed to the caller -- after that, text the caller has
already seen cannot be taken back, so a failure is raised.

The API key is read from the environment at the start of every attempt (so a rotated key is
picked up) and lives only in that attempt's request headers; a key unset since
``resolve_model`` raises ``MissingKeyError`` (a configuration error, never retried).
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from routr_cli.errors import ProviderError, ProviderTimeoutError
from routr_cli.providers.base import ChatRequest, ChatResponse, Usage
from routr_cli.providers.config import ProviderConfig
from routr_cli.providers.error_map import (
    error_for_status,
    error_for_transport,
    malformed,
    redact,
)
from routr_cli.providers.retry import (
    CallBudget,
    RetryPolicy,
    call_with_retries,
    deadline_passed,
    new_budget,
    next_wait,
)
from routr_cli.providers.sse import SSEDecoder, SSEEvent

MAX_BODY_BYTES = 32 * 1024 * 1024  # a chat answer is far smaller; refuse to buffer more
MAX_ERROR_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Timeouts:
    """Per-request limits, each well under a vendor's own (often 10-minute) limit.

    ``read_s`` bounds a stream's wait for its first byte and for every later chunk, so a
    stalled stream fails after ``read_s``. A non-streamed answer sends its first byte only
    once the whole answer is generated, so ``complete_read_s`` (longer) bounds that wait.
    """

    connect_s: float = 10.0
    read_s: float = 60.0
    complete_read_s: float = 300.0
    write_s: float = 30.0
    pool_s: float = 30.0

    def read_limit(self, *, stream: bool) -> float:
        return self.read_s if stream else self.complete_read_s

    def clamped(self, remaining_s: float, *, stream: bool) -> httpx.Timeout:
        """An ``httpx.Timeout`` no phase of which outlives the call's remaining deadline."""
        cap = max(0.001, remaining_s)
        return httpx.Timeout(
            connect=min(self.connect_s, cap),
            read=min(self.read_limit(stream=stream), cap),
            write=min(self.write_s, cap),
            pool=min(self.pool_s, cap),
        )


@dataclass(frozen=True)
class HttpCall:
    """One request to send: path under the base URL, headers (key included), JSON body."""

    path: str
    headers: dict[str, str] = field(repr=False)
    body: dict[str, Any]


@dataclass
class Parsed:
    """What an adapter read from a response or a finished stream."""

    text: str
    usage: Usage
    model: str = ""
    finish_reason: str | None = None
    provider_cost_usd: float | None = None


@dataclass
class BodyMeter:
    """Checks a body chunk by chunk: the call deadline and the size cap (sync and async).

    An answer over ``MAX_BODY_BYTES`` is malformed; an error body (``limit`` given) is
    simply cut at ``limit`` and ``full`` set (its first few kilobytes say all there is to
    say).
    """

    provider: str
    budget: CallBudget
    deadline_s: float
    limit: int | None = None  # None: an answer, capped at MAX_BODY_BYTES
    size: int = 0
    full: bool = False

    def take(self, chunk: bytes) -> bytes:
        """The part of ``chunk`` to keep; raises when the answer is too big or too late."""
        self.size += len(chunk)
        if self.limit is not None and self.size >= self.limit:
            self.full = True
            return chunk[: max(0, len(chunk) - (self.size - self.limit))]
        if self.limit is None and self.size > MAX_BODY_BYTES:
            raise malformed(self.provider, f"body larger than {MAX_BODY_BYTES} bytes")
        if self.budget.remaining() <= 0:
            raise ProviderTimeoutError(
                f"{self.provider}: call deadline of {self.deadline_s:g}s passed "
                "while reading -- raise the deadline or retry later"
            )
        return chunk


@contextmanager
def key_scrubbed(key: str | None) -> Iterator[None]:
    """Last line of defence: a vendor message that echoes the key loses it before it escapes.

    (``error_map`` already redacts what it quotes; this also covers mid-stream error events.)
    """
    try:
        yield
    except ProviderError as exc:
        if key and any(key in str(arg) for arg in exc.args):
            exc.args = tuple(redact(str(arg), (key,)) for arg in exc.args)
        raise


class StreamReader(ABC):
    """Reads one stream's events; knows when the stream is complete.

    Holds what every format accumulates (text parts, model, finish reason) so an adapter's
    reader only adds its own usage bookkeeping and its rule for "complete".
    """

    done: bool = False  # the format's terminator was seen: stop reading

    def __init__(self, provider: str, key_env: str) -> None:
        self.provider = provider
        self.key_env = key_env  # named in authentication errors sent mid-stream
        self.parts: list[str] = []
        self.model = ""
        self.finish_reason: str | None = None

    @abstractmethod
    def feed(self, event: SSEEvent) -> list[str]:
        """Consume one event; return the text deltas it carried (possibly none)."""

    @abstractmethod
    def finish(self) -> Parsed:
        """The complete answer; raise ``MalformedResponseError`` if the stream was cut short."""

    def parsed(self, usage: Usage, provider_cost_usd: float | None = None) -> Parsed:
        """The answer accumulated so far (``finish`` calls it once the stream is complete)."""
        return Parsed(
            text="".join(self.parts),
            usage=usage,
            model=self.model,
            finish_reason=self.finish_reason,
            provider_cost_usd=provider_cost_usd,
        )


class HttpChatProvider(ABC):
    """Base of the adapters: implements ``Provider`` given a format's two hooks and reader."""

    def __init__(
        self,
        config: ProviderConfig,
        client: httpx.Client,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.name = config.name
        self.config = config
        self.client = client
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, base_url={self.config.base_url!r})"

    # -- the format hooks -------------------------------------------------------------

    @abstractmethod
    def build_call(self, request: ChatRequest, *, stream: bool, api_key: str | None) -> HttpCall:
        """The request in this API format."""

    @abstractmethod
    def parse_complete(self, data: Any) -> Parsed:
        """Read a non-streamed response body (already JSON-decoded)."""

    reader_class: type[StreamReader]  # the format's stream reader; one fresh per stream

    def stream_reader(self) -> StreamReader:
        """A fresh reader for one streamed response."""
        return self.reader_class(self.name, self.config.key_env)

    # -- Provider ---------------------------------------------------------------------

    def complete(self, request: ChatRequest) -> ChatResponse:
        started = time.monotonic()
        parsed, retries = call_with_retries(
            lambda budget: self._complete_once(request, budget), self.retry, provider=self.name
        )
        return self.response(parsed, started, retries, ttft=None)

    def stream(self, request: ChatRequest) -> Generator[str, None, ChatResponse]:
        started = time.monotonic()
        budget = new_budget(self.retry)
        failures = 0
        while True:
            if budget.remaining() <= 0:
                raise deadline_passed(self.name, self.retry)
            deltas_sent = 0
            ttft: float | None = None
            attempt = self._stream_once(request, budget)
            try:
                while True:
                    try:
                        delta = next(attempt)
                    except StopIteration as stop:
                        return self.response(stop.value, started, failures, ttft=ttft)
                    if ttft is None:
                        ttft = time.monotonic() - started
                    deltas_sent += 1
                    yield delta
            except ProviderError as exc:
                failures += 1
                wait = None if deltas_sent else next_wait(self.retry, failures, exc, budget)
                if wait is None:
                    raise
                self.retry.sleep(wait)
            finally:
                attempt.close()  # a caller that stops early still releases the connection

    # -- one attempt ------------------------------------------------------------------

    def response(
        self, parsed: Parsed, started: float, retries: int, ttft: float | None
    ) -> ChatResponse:
        return ChatResponse(
            text=parsed.text,
            usage=parsed.usage,
            model=parsed.model,
            finish_reason=parsed.finish_reason,
            latency_s=time.monotonic() - started,
            ttft_s=ttft,
            provider_cost_usd=parsed.provider_cost_usd,
            retries=retries,
        )

    def _complete_once(self, request: ChatRequest, budget: CallBudget) -> Parsed:
        key = self.config.api_key()
        call = self.build_call(request, stream=False, api_key=key)
        with key_scrubbed(key), self._open(call, budget, key, stream=False) as response:
            body = b"".join(self._chunks(response, budget, stream=False))
        try:
            data = json.loads(body)
        except ValueError:
            raise malformed(self.name, "body is not JSON") from None
        return self.parse_complete(data)

    def _stream_once(
        self, request: ChatRequest, budget: CallBudget
    ) -> Generator[str, None, Parsed]:
        key = self.config.api_key()
        call = self.build_call(request, stream=True, api_key=key)
        reader = self.stream_reader()
        decoder = SSEDecoder()
        with key_scrubbed(key), self._open(call, budget, key, stream=True) as response:
            for chunk in self._chunks(response, budget, stream=True):
                for event in decoder.feed(chunk):
                    yield from reader.feed(event)
                    if reader.done:
                        return reader.finish()
            for event in decoder.close():
                yield from reader.feed(event)
        return reader.finish()

    @contextmanager
    def _open(
        self, call: HttpCall, budget: CallBudget, key: str | None, *, stream: bool
    ) -> Iterator[httpx.Response]:
        """Send the request; yield a 2xx response whose body is still unread."""
        url = self.config.base_url + call.path
        timeout = self.timeouts.clamped(budget.remaining(), stream=stream)
        try:
            with self.client.stream(
                "POST", url, json=call.body, headers=call.headers, timeout=timeout
            ) as response:
                if response.status_code >= 400:
                    body = b"".join(
                        self._chunks(response, budget, stream=stream, limit=MAX_ERROR_BODY_BYTES)
                    )
                    raise error_for_status(
                        self.name,
                        response,
                        body,
                        key_env=self.config.key_env,
                        secrets=(key,) if key else (),
                    )
                yield response
        except httpx.HTTPError as exc:
            raise self.transport_error(exc, stream=stream) from None

    def _chunks(
        self,
        response: httpx.Response,
        budget: CallBudget,
        *,
        stream: bool,
        limit: int | None = None,
    ) -> Iterator[bytes]:
        """The body's chunks as they arrive, checked by a ``BodyMeter``."""
        meter = BodyMeter(self.name, budget, self.retry.deadline_s, limit)
        try:
            for chunk in response.iter_bytes():
                yield meter.take(chunk)
                if meter.full:
                    return
        except httpx.HTTPError as exc:
            raise self.transport_error(exc, stream=stream) from None

    def transport_error(self, exc: httpx.HTTPError, *, stream: bool) -> ProviderError:
        return error_for_transport(
            self.name,
            exc,
            connect_s=min(self.timeouts.connect_s, self.retry.deadline_s),
            read_s=min(self.timeouts.read_limit(stream=stream), self.retry.deadline_s),
        )
