"""Constants and helpers shared by the provider tests (a uniquely named module: every test folder has
its own ``conftest``, so ``from conftest import ...`` would be ambiguous across the repo)."""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.retry import RetryPolicy

FAKE_KEY = "sk-routr-TEST-1f2e3d4c5b6a-do-not-leak"
KEY_VARS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY")
FAST_TIMEOUTS = Timeouts(connect_s=1.0, read_s=0.5, complete_read_s=0.5, write_s=1.0, pool_s=1.0)
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.05, deadline_s=10.0)


R = TypeVar("R")


def drain(stream: Generator[str, None, R]) -> tuple[list[str], R]:
    """Every text delta of a stream, and what it returns at the end (a provider's
    ``ChatResponse``, the router executor's ``CallResult``)."""
    deltas: list[str] = []
    while True:
        try:
            deltas.append(next(stream))
        except StopIteration as stop:
            return deltas, stop.value
