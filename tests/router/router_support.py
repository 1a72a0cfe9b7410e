"""Helpers shared by the router tests (a uniquely named module, importable from any test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from providers.fake_vendor_server import FakeVendor

from routr_cli.router.policy import Candidate, RouteStat

FAKE_KEY = "sk-routr-TEST-router-9a8b7c6d-do-not-leak"
KEY_VARS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY")
PRIMARY = "openai/gpt-4.1"
FALLBACK = "openrouter/openai/gpt-4.1"
THIRD = "openai/gpt-4.1-mini"


def cand(model: str, window: int | None = 1_000_000, simulated: bool = False) -> Candidate:
    return Candidate(
        model=model,
        provider=model.partition("/")[0],
        simulated=simulated,
        category="all",
        pass_rate=None,
        ci_low=None,
        ci_high=None,
        n_tasks=0,
        expected_cost_usd=None,
        latency_p50_s=None,
        context_window=window,
        why="",
    )


def chain(*models: str) -> list[Candidate]:
    return [cand(m) for m in models]


def stat(
    model: str,
    pass_rate: float,
    lo: float,
    hi: float,
    tie: int,
    *,
    category: str = "all",
    n: int = 40,
    cost: float | None = None,
    p50: float | None = None,
    simulated: bool = False,
) -> RouteStat:
    return RouteStat(
        model=model,
        category=category,
        simulated=simulated,
        pass_rate=pass_rate,
        ci_low=lo,
        ci_high=hi,
        n_tasks=n,
        tie_group=tie,
        cost_per_solved=cost,
        latency_p50_s=p50,
    )


def vendor_for(provider: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVendor]:
    """A fake vendor on loopback standing in for ``provider`` (its base URL and a key)."""
    with FakeVendor() as server:
        monkeypatch.setenv(f"ROUTR_{provider}_BASE_URL", server.url + "/v1")
        monkeypatch.setenv(f"{provider}_API_KEY", FAKE_KEY)
        yield server


# Fixtures, shared by the router and serve tests (a conftest imports them to use them).
@pytest.fixture
def primary(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVendor]:
    """The ``openai`` provider's endpoint."""
    yield from vendor_for("OPENAI", monkeypatch)


@pytest.fixture
def fallback(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVendor]:
    """The ``openrouter`` provider's endpoint."""
    yield from vendor_for("OPENROUTER", monkeypatch)
