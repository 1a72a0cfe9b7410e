"""The official ``openai`` SDK against `routr serve` (real uvicorn on loopback): chat,
streaming, the models list, errors, ``extra_body`` hints, keys, limits."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx
import openai
import pytest
from providers.fake_vendor_server import FakeVendor, Reply
from router.router_support import FALLBACK, PRIMARY
from serve_support import CALLER_KEY, caller_key

CONCURRENCY = "Fix the data race in this Go worker pool: goroutines share a map without a mutex."
DATA = "Parse this CSV export, group rows by customer and aggregate the totals per month."


def sdk(url: str, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key=key, max_retries=0, timeout=10)


def ask(client: openai.OpenAI, text: str, **kw: Any) -> Any:
    return client.chat.completions.with_raw_response.create(
        model=kw.pop("model", "routr/auto"), messages=[{"role": "user", "content": text}], **kw
    )


def test_chat_names_the_model_that_served_and_routes_by_category(serve: Any) -> None:
    with serve() as (url, _):
        client = sdk(url)
        raw = ask(client, CONCURRENCY)
        answer = raw.parse()
        assert answer.choices[0].message.content == "Hello from the fake vendor."
        assert answer.model == PRIMARY == raw.headers["x-routr-model"]
        assert raw.headers["x-routr-category"] == "concurrency"
        assert raw.headers["x-routr-attempts"] == "1"
        assert raw.headers["x-routr-simulated"] == "false"
        assert float(raw.headers["x-routr-overhead-ms"]) >= 0
        assert raw.headers["x-request-id"]
        assert answer.usage is not None and answer.usage.prompt_tokens == 120
        data = ask(client, DATA).parse()
        assert data.model == FALLBACK  # the data-processing standings differ


def test_streaming_sends_deltas_then_done_and_names_the_server(serve: Any) -> None:
    with serve() as (url, _):
        stream = sdk(url).chat.completions.create(
            model="routr/auto",
            messages=[{"role": "user", "content": CONCURRENCY}],
            stream=True,
            stream_options={"include_usage": True},
        )
        chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Hello from the fake vendor."
    assert {c.model for c in chunks} == {PRIMARY}
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 30
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


def test_models_list_has_the_objectives(serve: Any) -> None:
    with serve() as (url, _):
        ids = [m.id for m in sdk(url).models.list()]
    assert ids[:3] == ["routr/auto", "routr/auto:cheap", "routr/auto:fast"]
    assert PRIMARY in ids


def test_errors_have_openai_shapes(serve: Any) -> None:
    with serve() as (url, _):
        client = sdk(url)
        with pytest.raises(openai.NotFoundError) as missing:
            ask(client, "hi", model="nosuch/model")
        assert "unknown provider" in str(missing.value)
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(model="routr/auto", messages=[])
        with pytest.raises(openai.BadRequestError):
            ask(client, "hi", model="routr/auto", extra_body={"routr": {"objective": "best"}})
        big = httpx.post(
            url + "/v1/chat/completions",
            content=b'{"model":"routr/auto","messages":[{"role":"user","content":"'
            + b"x" * 1_100_000
            + b'"}]}',
        )
        assert big.status_code == 413 and big.json()["error"]["code"] == "request_too_large"
        bad = httpx.post(url + "/v1/chat/completions", content=b"{not json")
        assert bad.status_code == 400 and "error" in bad.json()


def test_extra_body_hints_and_an_explicit_chain(
    serve: Any, primary: FakeVendor, fallback: FakeVendor
) -> None:
    with serve() as (url, _):
        client = sdk(url)
        only = ask(client, "hi", extra_body={"routr": {"providers": ["openrouter"]}})
        assert only.parse().model == FALLBACK
        primary.script(*[Reply.status_error(503)] * 5)
        chained = ask(client, "hi", model=PRIMARY, extra_body={"models": [PRIMARY, FALLBACK]})
        assert chained.parse().model == FALLBACK
        assert chained.headers["x-routr-attempts"] == "2"
        # options pass through to the vendor's body
        ask(client, "hi", model=FALLBACK, temperature=0.2, stop=["END"], max_tokens=50)
        sent = fallback.requests[-1].body
        assert sent["temperature"] == 0.2 and sent["stop"] == ["END"] and sent["max_tokens"] == 50


def test_keys_wrong_missing_and_rate_limited(serve: Any) -> None:
    with serve(keys=[caller_key(rpm=2)]) as (url, _):
        with pytest.raises(openai.AuthenticationError):
            ask(sdk(url, "rk-wrong"), "hi")
        missing = httpx.post(url + "/v1/chat/completions", json={"model": "routr/auto"})
        assert missing.status_code == 401
        client = sdk(url, CALLER_KEY)
        ask(client, CONCURRENCY)
        ask(client, CONCURRENCY)
        with pytest.raises(openai.RateLimitError) as limited:
            ask(client, CONCURRENCY)
        assert int(limited.value.response.headers["retry-after"]) >= 1


def test_a_spent_daily_budget_is_429(serve: Any) -> None:
    with serve(keys=[caller_key(usd_per_day=0.000001)]) as (url, _):
        client = sdk(url, CALLER_KEY)
        ask(client, CONCURRENCY)  # the fake vendor bills, so this spends the budget
        with pytest.raises(openai.RateLimitError, match="budget"):
            ask(client, CONCURRENCY)


def test_upstream_failures_fall_over_or_end_explicitly(
    serve: Any, primary: FakeVendor, fallback: FakeVendor
) -> None:
    with serve() as (url, _):
        client = sdk(url)
        primary.script(*[Reply.status_error(500)] * 5)
        assert ask(client, "hi").parse().model == FALLBACK  # overall slice: both models
        primary.clear_script()
        primary.script(Reply(kind="cut", events_before_fault=3))
        stream = client.chat.completions.create(
            model=PRIMARY, messages=[{"role": "user", "content": "hi"}], stream=True
        )
        with pytest.raises(openai.APIError):
            for _ in stream:
                pass
        primary.clear_script()
        fallback.script(*[Reply.status_error(401)] * 3)
        with pytest.raises(openai.APIStatusError) as failed:
            ask(client, "hi", model=FALLBACK)
        assert failed.value.status_code == 502  # the gateway's provider key, not the caller's
        assert "sk-routr" not in failed.value.response.text
        assert ask(client, CONCURRENCY).parse().model == PRIMARY  # the next call works


def test_curl_sees_raw_sse_with_done(serve: Any) -> None:
    with serve() as (url, _):
        body = json.dumps(
            {"model": "routr/auto", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
        )
        out = subprocess.run(
            ["curl", "-sN", "-H", "content-type: application/json", "-d", body,
             url + "/v1/chat/completions"],
            capture_output=True, text=True, timeout=20, check=True,
        ).stdout  # fmt: skip
    events = [line[6:] for line in out.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    first = json.loads(events[0])
    assert first["object"] == "chat.completion.chunk"
    assert first["choices"][0]["delta"]["role"] == "assistant"


def test_calls_are_logged_off_the_request_path_and_feedback_lands(serve: Any) -> None:
    from routr_cli.router.call_log import get_call, list_calls
    from routr_cli.store import Store

    with serve() as (url, gateway):
        raw = ask(sdk(url), CONCURRENCY)
        call_id = raw.parse().id
        fed = httpx.post(url + "/v1/feedback", json={"id": call_id, "outcome": "pass"})
        assert fed.status_code == 202
        unknown = httpx.post(url + "/v1/feedback", json={"id": "nope", "outcome": "pass"})
        assert unknown.status_code == 404
        metrics = httpx.get(url + "/metrics").text
        assert f'routr_requests_total{{model="{PRIMARY}",status="ok"}} 1' in metrics
        assert httpx.get(url + "/healthz").json()["status"] == "ok"
        log_path = gateway.settings.log_path
    with Store.open(log_path, read_only=True) as store:  # flushed at shutdown
        rows = list_calls(store)
        stored = get_call(store, call_id)
    assert [r["id"] for r in rows] == [call_id]
    assert rows[0]["served_model"] == PRIMARY and rows[0]["feedback"] == "pass"
    assert stored["prompt"] is None and stored["answer"] is None  # only with --log-content
    assert stored["source"] == "serve"
