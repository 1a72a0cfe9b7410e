"""Fixtures for the router tests: two fake vendors on loopback (a primary and a fallback
provider, both speaking the OpenAI format), fast executor settings, clean environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from async_executor_bridge import BridgedAsyncExecutor
from router_support import FAKE_KEY, KEY_VARS, fallback, primary  # noqa: F401 (fixtures)

from routr_cli.router.breaker import BreakerBoard, BreakerSettings
from routr_cli.router.executor import Executor, ExecutorSettings

FAST = ExecutorSettings(
    deadline_s=6.0,
    candidate_s=2.0,
    connect_s=1.0,
    first_byte_s=0.5,
    complete_read_s=0.5,
    max_attempts=3,
    base_delay_s=0.01,
    max_delay_s=0.05,
    long_open_s=600.0,
)


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("ROUTR_CONFIG", "ROUTR_PRICING", "ROUTR_LOG_CONTENT", *KEY_VARS):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as shared:
        yield shared


@pytest.fixture
def breakers() -> BreakerBoard:
    return BreakerBoard(BreakerSettings(window_s=60, min_calls=3, failure_rate=0.5, cooldown_s=0.6))


@pytest.fixture(params=["sync", "async"])
def executor(
    request: pytest.FixtureRequest, client: httpx.Client, breakers: BreakerBoard
) -> Iterator[Executor]:
    """The sync executor (``routr call``) and its async twin (``routr serve``), each
    through every scenario."""
    if request.param == "sync":
        yield Executor(client, breakers, FAST)
        return
    bridged = BridgedAsyncExecutor(breakers, FAST)
    yield bridged
    bridged.shutdown()
