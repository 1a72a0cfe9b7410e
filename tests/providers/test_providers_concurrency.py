"""The bench runner's flow: one resolved model and one httpx.Client shared by many threads."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fake_vendor_server import FakeVendor, Reply
from provider_test_settings import drain

from routr_cli.providers.base import ChatRequest, ChatResponse, Message
from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.pricing import cost_from_price, cost_usd, price_for
from routr_cli.providers.registry import resolve_model
from routr_cli.providers.retry import RetryPolicy


def test_threads_share_one_client_and_one_resolved_sim_model(
    vendor: FakeVendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTR_SIM_BASE_URL", vendor.url + "/v1")
    vendor.script(Reply.status_error(500), Reply.status_error(429, Retry_After="0"))
    calls = 40
    with httpx.Client(limits=httpx.Limits(max_connections=8)) as client:
        resolved = resolve_model(
            "sim/frontier",
            client,
            timeouts=Timeouts(read_s=5.0),
            retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.02, deadline_s=30.0),
        )
        assert resolved.simulated

        def one(i: int) -> ChatResponse:
            request = ChatRequest(
                model=resolved.model_id,
                messages=(Message("user", f"task {i}"),),
                extra={"routr_task": f"t{i}"},
            )
            if i % 2:
                return resolved.provider.complete(request)
            return drain(resolved.provider.stream(request))[1]

        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(pool.map(one, range(calls)))

    assert all(r.text == "Hello from the fake vendor." for r in responses)
    assert sum(r.retries for r in responses) == 2
    assert len(vendor.requests) == calls + 2
    seen = Counter(r.body["routr_task"] for r in vendor.requests)
    assert set(seen) == {f"t{i}" for i in range(calls)}  # every call arrived, with its extra
    assert sum(seen.values()) == calls + 2  # plus the two retried ones
    assert {r.body["model"] for r in vendor.requests} == {"frontier"}
    price = price_for("sim/frontier")
    assert price is not None
    usage = responses[0].usage  # the fake's usage, priced at the sim file's invented rates
    assert cost_usd(resolved.name, usage) == pytest.approx(cost_from_price(price, usage))
