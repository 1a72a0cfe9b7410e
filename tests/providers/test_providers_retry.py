"""The retry loop and Retry-After parsing, with an injected clock, sleep and randomness."""

from __future__ import annotations

import email.utils

import pytest

from routr_cli.errors import (
    AuthenticationError,
    ContextLengthError,
    MalformedResponseError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from routr_cli.providers.error_map import parse_retry_after
from routr_cli.providers.retry import CallBudget, RetryPolicy, call_with_retries


class FakeTime:
    """A clock that only moves when the retry loop sleeps (or an attempt says it took time)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def policy(t: FakeTime, **kw: float) -> RetryPolicy:
    return RetryPolicy(
        sleep=t.sleep,
        clock=t.clock,
        uniform=lambda lo, hi: hi,  # worst case of the full-jitter draw
        **kw,  # type: ignore[arg-type]
    )


def failing(errors: list[ProviderError], cost_s: float = 0.0, t: FakeTime | None = None):  # type: ignore[no-untyped-def]
    calls: list[float] = []  # the budget left when each attempt started

    def attempt(budget: CallBudget) -> str:
        calls.append(budget.remaining())
        if t is not None:
            t.now += cost_s
        if errors:
            raise errors.pop(0)
        return "ok"

    return attempt, calls


def test_backoff_doubles_up_to_the_cap() -> None:
    t = FakeTime()
    attempt, calls = failing([ProviderUnavailableError("x")] * 5)
    result, retries = call_with_retries(
        attempt, policy(t, max_attempts=6, base_delay_s=1.0, max_delay_s=5.0), provider="p"
    )
    assert len(calls) == 6
    assert (result, retries) == ("ok", 5)
    assert t.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_full_jitter_draws_between_zero_and_the_ceiling() -> None:
    draws: list[tuple[float, float]] = []
    p = RetryPolicy(base_delay_s=0.5, uniform=lambda lo, hi: draws.append((lo, hi)) or 0.0)
    assert p.backoff(3, ProviderUnavailableError("x")) == 0.0
    assert draws == [(0.0, 2.0)]


def test_retry_after_is_a_floor_on_the_wait() -> None:
    t = FakeTime()
    attempt, _ = failing([RateLimitedError("x", retry_after=7.5)])
    call_with_retries(attempt, policy(t, base_delay_s=0.1), provider="p")
    assert t.sleeps == [7.5]


def test_non_retryable_errors_are_raised_at_once() -> None:
    for error in (AuthenticationError("a", status=401), ContextLengthError("c", status=400)):
        t = FakeTime()
        attempt, calls = failing([error])
        with pytest.raises(type(error)):
            call_with_retries(attempt, policy(t), provider="p")
        assert len(calls) == 1 and t.sleeps == []


def test_attempts_are_bounded_and_the_last_error_raised() -> None:
    t = FakeTime()
    errors: list[ProviderError] = [MalformedResponseError(f"m{i}") for i in range(10)]
    attempt, calls = failing(errors)
    with pytest.raises(MalformedResponseError, match="m3"):
        call_with_retries(attempt, policy(t, max_attempts=4), provider="p")
    assert len(calls) == 4


def test_a_wait_that_would_cross_the_deadline_is_not_taken() -> None:
    t = FakeTime()
    attempt, calls = failing([RateLimitedError("slow down", retry_after=60.0)])
    with pytest.raises(RateLimitedError, match="slow down"):
        call_with_retries(attempt, policy(t, deadline_s=30.0), provider="p")
    assert t.sleeps == [] and len(calls) == 1


def test_time_spent_in_attempts_counts_against_the_deadline() -> None:
    t = FakeTime()
    attempt, calls = failing([ProviderTimeoutError("t")] * 10, cost_s=4.0, t=t)
    with pytest.raises(ProviderTimeoutError):
        call_with_retries(
            attempt, policy(t, max_attempts=10, base_delay_s=0.5, deadline_s=10.0), provider="p"
        )
    # 4 s + wait 0.5 + 4 s + wait 1 + a last attempt with the 0.5 s left (its timeouts are
    # clamped to that); then the budget is spent and the last error is raised.
    assert calls == [10.0, 5.5, 0.5]


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({}) is None
    assert parse_retry_after({"Retry-After": "soon"}) is None
    when = email.utils.formatdate(1_000_120.0, usegmt=True)
    assert parse_retry_after({"Retry-After": when}, now=lambda: 1_000_000.0) == 120.0
    past = email.utils.formatdate(999_000.0, usegmt=True)
    assert parse_retry_after({"Retry-After": past}, now=lambda: 1_000_000.0) == 0.0
