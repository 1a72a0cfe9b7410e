"""The fallback executor: try the policy's candidates in order, within one deadline.

The rules live in ``Failover``, a small state machine with no I/O, so the synchronous
executor here and an async twin (``routr serve``) share them and only write their own
loop:

- ``Failover.skip(candidate)``: a reason not to call this candidate at all -- its circuit
  is open, its provider's key was just rejected, or it has no larger context window than
  a model that already said the prompt does not fit.
- ``Failover.failed(candidate, error, ...)``: records the attempt and decides what the
  error means: a health failure for the breaker (5xx, timeouts, cuts, 429s), no verdict
  (the request's own fault: context length, content filter, a rejected parameter such as
  an assistant prefill), or a long block (authentication: the whole provider; not found:
  that model).
- ``Failover.served(...)``: the result, naming the model that served, with tokens and
  cost. Failed attempts carry no cost: they are never billed as completions.

Retries *within* a candidate are the provider's (backoff with full jitter, Retry-After
honoured; ``providers/retry.py``), bounded by that candidate's share of the deadline so a
silent candidate cannot eat the fallbacks' time. A context-length or content-filter error
is never retried on the same model (the providers treat them as final).

Streaming: until the first text delta has reached the caller, any failure falls over to
the next candidate transparently. After that, a cut, a stall or a malformed chunk ends the
call with ``status == "error"`` and ``partial == True``: the caller must say the answer is
incomplete, never present it as whole.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import httpx

from routr_cli.errors import (
    AuthenticationError,
    ConfigError,
    ContentFilteredError,
    ContextLengthError,
    ProviderError,
    ProviderTimeoutError,
    RoutrError,
)
from routr_cli.providers.base import ChatRequest, ChatResponse, Message, Usage
from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.registry import ResolvedModel, resolve_model
from routr_cli.providers.retry import RetryPolicy
from routr_cli.router.breaker import BreakerBoard
from routr_cli.router.policy import Candidate

AttemptStatus = Literal["ok", "error", "skipped"]


@dataclass(frozen=True)
class ExecutorSettings:
    """Bounds for one routed call."""

    deadline_s: float = 120.0  # the whole call, every candidate and wait included
    candidate_s: float = 60.0  # at most this much of it for one candidate (not the last)
    connect_s: float = 5.0
    first_byte_s: float = 60.0  # streams: also the longest silence (reasoning models think)
    complete_read_s: float = 90.0  # non-streamed answers arrive whole, later
    max_attempts: int = 3  # per candidate, the provider's retries included
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    long_open_s: float = 600.0  # breaker for bad keys and unknown models


@dataclass(frozen=True)
class AttemptLog:
    """One candidate's part in a call (its internal retries folded in)."""

    model: str
    provider: str
    status: AttemptStatus
    error_class: str | None = None
    message: str = ""
    latency_s: float = 0.0
    ttft_s: float | None = None
    retries: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "provider": self.provider,
            "status": self.status,
            "error_class": self.error_class,
            "message": self.message,
            "latency_s": round(self.latency_s, 4),
            "ttft_s": None if self.ttft_s is None else round(self.ttft_s, 4),
            "retries": self.retries,
        }


@dataclass(frozen=True)
class CallResult:
    status: Literal["ok", "error"]
    served_model: str | None
    simulated: bool
    text: str
    usage: Usage
    cost_usd: float | None
    attempts: tuple[AttemptLog, ...]
    latency_s: float
    ttft_s: float | None = None
    finish_reason: str | None = None
    error: str | None = None
    error_class: str | None = None
    partial: bool = False  # text reached the caller before the error: it is incomplete
    exit_code: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


Pricer = Callable[[str, Usage], "float | None"]


def catalog_cost(model: str, usage: Usage) -> float | None:
    """The price catalog's cost (it re-checks its files' mtimes on each call)."""
    from routr_cli.providers.pricing import cost_usd

    return cost_usd(model, usage)


def _cost(model: str, response: ChatResponse, pricer: Pricer) -> float | None:
    catalog = pricer(model, response.usage)
    return catalog if catalog is not None else response.provider_cost_usd


@dataclass
class Failover:
    """The rules of one call, without I/O (shared by the sync and async executors)."""

    breakers: BreakerBoard
    settings: ExecutorSettings
    started: float
    prefill: bool = False  # the request ends with an assistant message
    attempts: list[AttemptLog] = field(default_factory=list)
    blocked_providers: set[str] = field(default_factory=set)
    too_small_window: int | None = None  # a model with this window said "does not fit"
    last_error: RoutrError | None = None
    pricer: Pricer = catalog_cost  # serve passes a snapshot: no file checks per request

    def remaining(self, now: float) -> float:
        return self.started + self.settings.deadline_s - now

    def budget(self, now: float, is_last: bool) -> float:
        """This candidate's share of the deadline: the last one gets all that is left."""
        left = self.remaining(now)
        return left if is_last else min(left, self.settings.candidate_s)

    def skip(self, candidate: Candidate) -> str | None:
        if candidate.provider in self.blocked_providers:
            return f"provider {candidate.provider} rejected its key in this call"
        if self.too_small_window is not None and (
            candidate.context_window is not None
            and candidate.context_window <= self.too_small_window
        ):
            return (
                f"context window {candidate.context_window} no larger than one that was too small"
            )
        if not self.breakers.allow(candidate.model):
            status = self.breakers.status(candidate.model)
            why = f": {status.reason}" if status.reason else ""
            return f"circuit open for {status.open_for_s:.0f}s more{why}"
        return None

    def skipped(self, candidate: Candidate, why: str, error_class: str = "CircuitOpen") -> None:
        self.attempts.append(
            AttemptLog(candidate.model, candidate.provider, "skipped", error_class, why)
        )

    def not_started(self, candidate: Candidate, error: RoutrError) -> None:
        """The candidate could not even be set up (no key, unknown model): no call made."""
        self.breakers.release(candidate.model)
        self.last_error = error
        self.skipped(candidate, str(error), type(error).__name__)

    def failed(
        self,
        candidate: Candidate,
        error: ProviderError,
        latency_s: float,
        ttft_s: float | None = None,
    ) -> None:
        key = candidate.model
        message = str(error)
        if isinstance(error, AuthenticationError):
            self.blocked_providers.add(candidate.provider)
            self.breakers.block_provider(
                candidate.provider, self.settings.long_open_s, "authentication failed"
            )
        elif error.status == 404:
            self.breakers.force_open(key, self.settings.long_open_s, "model not found")
        elif error.status == 402:
            self.blocked_providers.add(candidate.provider)
            self.breakers.block_provider(candidate.provider, self.settings.long_open_s, "no credit")
        elif isinstance(error, ContextLengthError):
            self.breakers.release(key)
            window = candidate.context_window or 0
            self.too_small_window = max(self.too_small_window or 0, window)
        elif isinstance(error, ContentFilteredError) or not error.retryable:
            self.breakers.release(key)  # the request's own fault, not the endpoint's health
            if self.prefill and error.status in (400, 422):
                message = f"{message} (this model may not accept an assistant prefill)"
        else:
            self.breakers.record(key, failed=True, reason=type(error).__name__)
        self.last_error = error
        self.attempts.append(
            AttemptLog(
                candidate.model,
                candidate.provider,
                "error",
                type(error).__name__,
                message,
                latency_s,
                ttft_s,
            )
        )

    def served(
        self,
        candidate: Candidate,
        response: ChatResponse,
        now: float,
        ttft_s: float | None = None,
    ) -> CallResult:
        """``ttft_s``: from the call's start (not the candidate's) to its first text."""
        self.breakers.record(candidate.model, failed=False)
        self.attempts.append(
            AttemptLog(
                candidate.model,
                candidate.provider,
                "ok",
                latency_s=response.latency_s,
                ttft_s=response.ttft_s,
                retries=response.retries,
            )
        )
        return CallResult(
            status="ok",
            served_model=candidate.model,
            simulated=candidate.simulated,
            text=response.text,
            usage=response.usage,
            cost_usd=_cost(candidate.model, response, self.pricer),
            attempts=tuple(self.attempts),
            latency_s=now - self.started,
            ttft_s=ttft_s,
            finish_reason=response.finish_reason,
        )

    def gave_up(
        self, now: float, *, partial_text: str = "", model: str | None = None
    ) -> CallResult:
        """No candidate served: the last error, or why none could be tried."""
        error = self.last_error
        if partial_text:
            message = (
                f"the answer from {model} broke off after {len(partial_text)} characters "
                f"({error}) -- the text shown is incomplete; run the call again"
            )
        elif error is None:
            message = "no candidate could be tried (all circuits open) -- retry later"
        elif len(self.attempts) > 1:
            message = f"every candidate failed; last: {error}"
        else:
            message = str(error)
        return CallResult(
            status="error",
            served_model=None,
            simulated=False,
            text=partial_text,
            usage=Usage(),
            cost_usd=None,
            attempts=tuple(self.attempts),
            latency_s=now - self.started,
            error=message,
            error_class=type(error).__name__ if error else "CircuitOpen",
            partial=bool(partial_text),
            exit_code=error.exit_code if error else ProviderError.exit_code,
        )


Resolver = Callable[..., ResolvedModel]


class Executor:
    """Runs routed calls on one shared ``httpx.Client``; safe to share across threads."""

    def __init__(
        self,
        client: httpx.Client,
        breakers: BreakerBoard | None = None,
        settings: ExecutorSettings | None = None,
        *,
        resolver: Resolver = resolve_model,
        clock: Callable[[], float] = time.monotonic,
        pricer: Pricer = catalog_cost,
        keep_providers: bool = False,
    ) -> None:
        self.client = client
        self.breakers = breakers or BreakerBoard()
        self.settings = settings or ExecutorSettings()
        self.resolver = resolver
        self.clock = clock
        self.pricer = pricer
        s = self.settings
        self._timeouts = Timeouts(
            connect_s=s.connect_s, read_s=s.first_byte_s, complete_read_s=s.complete_read_s
        )
        self._usual_retry = self._retry(s.candidate_s)
        self._kept: dict[tuple[str, float], ResolvedModel] | None = {} if keep_providers else None

    def _retry(self, budget_s: float) -> RetryPolicy:
        s = self.settings
        return RetryPolicy(
            max_attempts=s.max_attempts,
            base_delay_s=s.base_delay_s,
            max_delay_s=s.max_delay_s,
            deadline_s=budget_s,
        )

    def _resolve(self, candidate: Candidate, budget_s: float) -> ResolvedModel:
        """``keep_providers`` (a gateway should not build a provider per request):
        providers hold no per-call state, so one is kept per (model, retry budget) and
        reused. A budget is the candidate's usual share of the call's deadline or, for the
        last candidate, what is left of it -- rounded down to 10 ms here, so the first
        candidate of every call finds the same one. Only resolved ones are kept: a
        candidate that could not be set up (no key yet) is tried again next time."""
        kept = self._kept
        budget = max(0.001, budget_s if kept is None else math.floor(budget_s * 100) / 100)
        if kept is not None:
            found = kept.get((candidate.model, budget))
            if found is not None:
                return found
        retry = self._usual_retry if budget == self._usual_retry.deadline_s else self._retry(budget)
        resolved = self.resolver(candidate.model, self.client, timeouts=self._timeouts, retry=retry)
        if kept is not None:
            if len(kept) > 4096:  # bounded whatever model names and failovers bring
                kept.clear()
            kept[(candidate.model, budget)] = resolved
        return resolved

    def _request(
        self,
        resolved: ResolvedModel,
        messages: Sequence[Message],
        max_tokens: int | None,
        temperature: float | None,
        extra: Mapping[str, object] | None = None,
    ) -> ChatRequest:
        """``extra``: request options passed through to the vendor's body (``routr serve``
        forwards an OpenAI client's ``tools``, ``response_format``, ``stop``...)."""
        return ChatRequest(
            model=resolved.model_id,
            messages=tuple(messages),
            max_tokens=max_tokens,
            temperature=temperature,
            extra=dict(extra or {}),
        )

    def _begin(self, messages: Sequence[Message]) -> Failover:
        return Failover(
            self.breakers,
            self.settings,
            self.clock(),
            prefill=bool(messages) and messages[-1].role == "assistant",
            pricer=self.pricer,
        )

    def _prepare(
        self, state: Failover, candidates: Sequence[Candidate], index: int
    ) -> tuple[ResolvedModel, float] | None:
        """Resolve candidate ``index`` for a call, or record why it is skipped (None)."""
        candidate = candidates[index]
        now = self.clock()
        if state.remaining(now) <= 0:
            return None
        why = state.skip(candidate)
        if why is not None:
            state.skipped(candidate, why)
            return None
        budget = state.budget(now, is_last=index == len(candidates) - 1)
        try:
            return self._resolve(candidate, budget), budget
        except (ConfigError, ProviderError) as exc:
            state.not_started(candidate, exc)
            return None

    def _deadline_error(self, state: Failover) -> None:
        if state.remaining(self.clock()) <= 0 and not isinstance(
            state.last_error, ProviderTimeoutError
        ):
            state.last_error = ProviderTimeoutError(
                f"call deadline of {self.settings.deadline_s:g}s passed -- raise --timeout "
                "or retry later"
            )

    def complete(
        self,
        candidates: Sequence[Candidate],
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> CallResult:
        """The whole answer from the first candidate that gives one."""
        state = self._begin(messages)
        for index, candidate in enumerate(candidates):
            prepared = self._prepare(state, candidates, index)
            if prepared is None:
                continue
            resolved, _ = prepared
            began = self.clock()
            try:
                response = resolved.provider.complete(
                    self._request(resolved, messages, max_tokens, temperature)
                )
            except ProviderError as exc:
                state.failed(candidate, exc, self.clock() - began)
                continue
            return state.served(candidate, response, self.clock())
        self._deadline_error(state)
        return state.gave_up(self.clock())

    def stream(
        self,
        candidates: Sequence[Candidate],
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Generator[str, None, CallResult]:
        """Text deltas as they arrive, then (the return value) the ``CallResult``."""
        state = self._begin(messages)
        for index, candidate in enumerate(candidates):
            prepared = self._prepare(state, candidates, index)
            if prepared is None:
                continue
            resolved, _ = prepared
            began = self.clock()
            first: float | None = None
            sent: list[str] = []
            stream = resolved.provider.stream(
                self._request(resolved, messages, max_tokens, temperature)
            )
            try:
                while True:
                    try:
                        delta = next(stream)
                    except StopIteration as stop:
                        response: ChatResponse = stop.value
                        ttft = None if first is None else first - state.started
                        return state.served(candidate, response, self.clock(), ttft)
                    if first is None:
                        first = self.clock()
                    sent.append(delta)
                    yield delta
            except ProviderError as exc:
                state.failed(
                    candidate, exc, self.clock() - began, None if first is None else first - began
                )
                if sent:  # text already reached the caller: no silent failover
                    return state.gave_up(
                        self.clock(), partial_text="".join(sent), model=candidate.model
                    )
            finally:
                stream.close()
        self._deadline_error(state)
        return state.gave_up(self.clock())
