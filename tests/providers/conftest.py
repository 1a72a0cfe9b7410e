"""Fixtures for the provider tests: a fake vendor on loopback, fast timeouts and retries.

Every test runs in a fresh working directory with no routr.toml, no user pricing catalog and
no real key variables, so the developer's environment cannot leak into a result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from async_bridge import AsyncBridge
from fake_vendor_server import FakeVendor
from provider_test_settings import FAKE_KEY, FAST_RETRY, FAST_TIMEOUTS, KEY_VARS

from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.registry import ResolvedModel, resolve_model
from routr_cli.providers.retry import RetryPolicy


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("ROUTR_CONFIG", "ROUTR_PRICING", *KEY_VARS):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def vendor() -> Iterator[FakeVendor]:
    with FakeVendor() as server:
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as shared:
        yield shared


def point_at(vendor: FakeVendor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Route openai, anthropic, gemini and openrouter at the fake, with a fake key each."""
    for name, suffix in (
        ("OPENAI", "/v1"),
        ("OPENROUTER", "/v1"),
        ("ANTHROPIC", "/v1"),
        ("GEMINI", "/v1beta"),
    ):
        monkeypatch.setenv(f"ROUTR_{name}_BASE_URL", vendor.url + suffix)
        monkeypatch.setenv(f"{name}_API_KEY", FAKE_KEY)


@pytest.fixture(params=["sync", "async"])
def resolve(
    request: pytest.FixtureRequest,
    vendor: FakeVendor,
    client: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., ResolvedModel]:
    """``resolve("openai/gpt-4.1", retry=...)`` against the fake vendor, once through the
    synchronous provider and once through its async twin (``AsyncBridge``)."""
    point_at(vendor, monkeypatch)
    bridged = request.param == "async"

    def _resolve(
        name: str, *, retry: RetryPolicy = FAST_RETRY, timeouts: Timeouts = FAST_TIMEOUTS
    ) -> ResolvedModel:
        resolved = resolve_model(name, client, retry=retry, timeouts=timeouts)
        if bridged:
            return dataclasses.replace(resolved, provider=AsyncBridge(resolved.provider))
        return resolved

    return _resolve
