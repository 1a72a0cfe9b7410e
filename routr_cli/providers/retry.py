"""Retries: exponential backoff with full jitter, Retry-After honoured, bounded twice.

Only errors whose class says ``retryable`` are retried (429, 408, 5xx, timeouts, connection
failures, malformed or cut responses); any other 4xx is final at once. Two bounds apply: a
maximum number of attempts and a total deadline. When the next wait would cross the deadline,
the last error is raised instead of sleeping -- a caller never waits longer than it asked.

The wait before attempt ``n+1`` is ``uniform(0, min(max_delay, base_delay * 2**n))`` ("full
jitter", which spreads a thundering herd best), raised to the server's Retry-After when one
was given: a server that says "wait 2 s" is never called back sooner.

Sleep, clock and randomness are injectable so unit tests run instantly and deterministically.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from routr_cli.errors import ProviderError, ProviderTimeoutError, RateLimitedError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. ``deadline_s`` bounds the whole call, retries and waits included."""

    max_attempts: int = 4
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    deadline_s: float = 300.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)
    uniform: Callable[[float, float], float] = field(
        default=random.uniform, repr=False, compare=False
    )

    def backoff(self, failures: int, error: ProviderError) -> float:
        """Seconds to wait after the ``failures``-th failure (1-based)."""
        ceiling = min(self.max_delay_s, self.base_delay_s * (2 ** (failures - 1)))
        wait = self.uniform(0.0, ceiling)
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            wait = max(wait, error.retry_after)
        return wait


@dataclass
class CallBudget:
    """A deadline shared by every attempt of one call (monotonic clock)."""

    deadline: float
    clock: Callable[[], float] = time.monotonic

    def remaining(self) -> float:
        return self.deadline - self.clock()


def next_wait(
    policy: RetryPolicy, failures: int, error: ProviderError, budget: CallBudget
) -> float | None:
    """The wait before the next attempt, or None when ``error`` must be raised now.

    None when the error is final (not retryable), the attempts are used up, or the wait
    would end past the deadline.
    """
    if not error.retryable or failures >= policy.max_attempts:
        return None
    wait = policy.backoff(failures, error)
    return None if wait >= budget.remaining() else wait


def new_budget(policy: RetryPolicy) -> CallBudget:
    return CallBudget(deadline=policy.clock() + policy.deadline_s, clock=policy.clock)


def deadline_passed(provider: str, policy: RetryPolicy) -> ProviderTimeoutError:
    return ProviderTimeoutError(
        f"{provider}: call deadline of {policy.deadline_s:g}s passed -- "
        "raise the deadline or retry later"
    )


def call_with_retries(
    attempt: Callable[[CallBudget], T],
    policy: RetryPolicy,
    *,
    provider: str,
) -> tuple[T, int]:
    """Run ``attempt`` until it succeeds; return its result and the number of retries.

    ``attempt`` receives the call's budget so it can clamp its own timeouts to what is
    left. Non-retryable errors propagate immediately; retryable ones are retried while
    attempts and time remain, then the last one is raised.
    """
    budget = new_budget(policy)
    failures = 0
    while True:
        if budget.remaining() <= 0:
            raise deadline_passed(provider, policy)
        try:
            return attempt(budget), failures
        except ProviderError as exc:
            failures += 1
            wait = next_wait(policy, failures, exc, budget)
            if wait is None:
                raise
            policy.sleep(wait)
