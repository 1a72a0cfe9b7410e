"""The adapters against the real simulated-model server (``routr_cli.providers.sim``).

This is the path the bench runner takes: ``resolve_model("sim/...")`` with
``ROUTR_SIM_BASE_URL`` pointing at a running sim server, calls from a shared client, and the
cost from the sim data file's invented prices.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from routr_cli.providers.base import ChatRequest, Message
from routr_cli.providers.pricing import cost_usd, price_for, read_sim_prices
from routr_cli.providers.registry import resolve_model
from routr_cli.providers.retry import RetryPolicy
from routr_cli.providers.sim.server import start_sim_server


@pytest.fixture
def sim_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with start_sim_server(None, seed=1, latency_scale=0.01) as server:
        monkeypatch.setenv("ROUTR_SIM_BASE_URL", server.base_url)
        yield server.base_url


def test_every_sim_model_answers_through_the_openai_adapter(sim_url: str) -> None:
    retry = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05, deadline_s=30.0)
    with httpx.Client() as client:
        for name in read_sim_prices():
            resolved = resolve_model(name, client, retry=retry)
            assert resolved.simulated and resolved.label == f"{name} (simulated)"
            request = ChatRequest(
                model=resolved.model_id, messages=(Message("user", "Fix the bug, please."),)
            )
            response = resolved.provider.complete(request)
            assert response.text and response.finish_reason == "stop"
            assert response.model == name
            assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
            price = price_for(name)
            assert price is not None and price.simulated
            dollars = cost_usd(name, response.usage)
            assert dollars == pytest.approx(
                (
                    response.usage.input_tokens * price.input_per_mtok
                    + response.usage.output_tokens * price.output_per_mtok
                )
                / 1e6
            )
            streamed = resolved.provider.stream(request)
            text = "".join(streamed)
            assert text == response.text
