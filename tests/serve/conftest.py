"""Fixtures for `routr serve`: the real app on uvicorn in a thread on 127.0.0.1, routing to
two fake vendors (OpenAI format) by a hand-made routing table, spoken to by the official
``openai`` SDK, httpx and curl."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from router.router_support import FAKE_KEY, KEY_VARS, fallback, primary  # noqa: F401 (fixtures)
from serve_support import FAST, TABLE, running

from routr_cli.router.policy import RoutingTable
from routr_cli.serve.app import Gateway, ServeSettings, build_app, load_gateway
from routr_cli.serve.guard import Guard, KeyPolicy


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in (
        "ROUTR_CONFIG",
        "ROUTR_PRICING",
        "ROUTR_LOG_CONTENT",
        "ROUTR_SERVE_KEYS",
        *KEY_VARS,
    ):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


MakeGateway = Callable[..., Gateway]


@pytest.fixture
def make_gateway(tmp_path: Path) -> MakeGateway:
    def make(
        *, keys: list[KeyPolicy] | None = None, table: RoutingTable = TABLE, **settings: Any
    ) -> Gateway:
        base = ServeSettings(
            db=tmp_path / "none.duckdb",
            log_path=tmp_path / "calls.duckdb",
            require_auth=keys is not None,
            executor=FAST,
        )
        gateway = load_gateway(
            dataclasses.replace(base, **settings), Guard(keys or [], require=keys is not None)
        )
        gateway.table = table
        return gateway

    return make


@pytest.fixture
def serve(make_gateway: MakeGateway, request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``with serve(**gateway_options) as (url, gateway): ...``, the fake vendors up."""
    request.getfixturevalue("primary")
    request.getfixturevalue("fallback")

    @contextmanager
    def start(**options: Any) -> Iterator[tuple[str, Gateway]]:
        gateway = make_gateway(**options)
        with running(build_app(gateway)) as url:
            yield url, gateway

    return start
