"""Scripted vendor faults over real HTTP: retries, Retry-After, timeouts, cut streams, 4xx."""

from __future__ import annotations

import itertools
import json
import socket
import time
from collections.abc import Callable

import httpx
import pytest
from fake_vendor_server import FakeVendor, Reply
from provider_test_settings import FAKE_KEY, FAST_RETRY, drain

from routr_cli.errors import (
    AuthenticationError,
    ContentFilteredError,
    ContextLengthError,
    MalformedResponseError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from routr_cli.providers.base import ChatRequest, ChatResponse, Message
from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.registry import ResolvedModel, resolve_model
from routr_cli.providers.retry import RetryPolicy

Resolve = Callable[..., ResolvedModel]
MODELS = ["openai/gpt-4.1", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"]
ONE_TRY = RetryPolicy(max_attempts=1, deadline_s=10.0)
CONTEXT_BODIES = {
    "openai/gpt-4.1": {
        "error": {
            "message": "This model's maximum context length is 128000 tokens. However, your "
            "messages resulted in 130512 tokens.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        }
    },
    "anthropic/claude-haiku-4-5": {
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": "prompt is too long: 210000 tokens > 200000 maximum",
        },
    },
    "gemini/gemini-2.5-flash": {
        "error": {
            "code": 400,
            "message": "The input token count (1200000) exceeds the maximum number of tokens "
            "allowed (1048576).",
            "status": "INVALID_ARGUMENT",
        }
    },
}


def ask(resolved: ResolvedModel) -> ChatResponse:
    return resolved.provider.complete(
        ChatRequest(model=resolved.model_id, messages=(Message("user", "hi"),))
    )


def ask_stream(resolved: ResolvedModel) -> tuple[list[str], ChatResponse]:
    return drain(
        resolved.provider.stream(
            ChatRequest(model=resolved.model_id, messages=(Message("user", "hi"),))
        )
    )


def gaps(vendor: FakeVendor) -> list[float]:
    times = [r.arrived for r in vendor.requests]
    return [b - a for a, b in itertools.pairwise(times)]


def test_retry_after_seconds_is_honoured(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply.status_error(429, Retry_After="1"))
    response = ask(resolve("openai/gpt-4.1"))
    assert response.text and response.retries == 1
    assert len(vendor.requests) == 2
    # Backoff alone would have waited <= 0.01 s; the server asked for exactly 1 s, not more.
    assert 1.0 <= gaps(vendor)[0] < 1.8


def test_retry_after_ms_is_honoured(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply.status_error(429, retry_after_ms="300"))
    assert ask(resolve("anthropic/claude-haiku-4-5")).retries == 1
    assert 0.3 <= gaps(vendor)[0] < 1.0


def test_429_without_retry_after_backs_off_and_retries(
    resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(Reply.status_error(429), Reply.status_error(429))
    assert ask(resolve("gemini/gemini-2.5-flash")).retries == 2
    assert len(vendor.requests) == 3


def test_rate_limit_that_outlasts_the_deadline_is_raised_with_retry_after(
    resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(Reply.status_error(429, Retry_After="30"))
    started = time.monotonic()
    with pytest.raises(RateLimitedError) as info:
        ask(resolve("openai/gpt-4.1", retry=RetryPolicy(deadline_s=2.0)))
    assert info.value.retry_after == 30
    assert time.monotonic() - started < 1.0  # never sleeps past the deadline
    assert len(vendor.requests) == 1


@pytest.mark.parametrize("name", MODELS)
def test_500_then_success_is_retried(name: str, resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply.status_error(500), Reply.status_error(503))
    response = ask(resolve(name))
    assert response.retries == 2 and response.text == "Hello from the fake vendor."


def test_persistent_5xx_raises_the_last_error_after_max_attempts(
    resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(*[Reply.status_error(502)] * 5)
    with pytest.raises(ProviderUnavailableError, match=r"openai: service unavailable \(HTTP 502"):
        ask(resolve("openai/gpt-4.1"))
    assert len(vendor.requests) == FAST_RETRY.max_attempts


def test_hung_connection_times_out_quickly(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply(kind="hang"))
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError, match=r"no data for 0\.5s"):
        ask(resolve("openai/gpt-4.1", retry=ONE_TRY))
    assert 0.4 < time.monotonic() - started < 2.0


def test_hung_connections_stop_at_the_call_deadline(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(*[Reply(kind="hang")] * 10)
    policy = RetryPolicy(max_attempts=10, base_delay_s=0.01, max_delay_s=0.01, deadline_s=1.2)
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError):
        ask(resolve("anthropic/claude-haiku-4-5", retry=policy))
    assert time.monotonic() - started < 1.6
    assert 2 <= len(vendor.requests) <= 3  # retried, but only while the deadline allowed


@pytest.mark.parametrize("name", MODELS)
def test_stalled_stream_after_text_times_out_without_retry(
    name: str, resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(Reply(kind="stall", events_before_fault=4))
    resolved = resolve(name)
    started = time.monotonic()
    seen: list[str] = []
    with pytest.raises(ProviderTimeoutError):
        for delta in resolved.provider.stream(
            ChatRequest(model=resolved.model_id, messages=(Message("user", "hi"),))
        ):
            seen.append(delta)
    assert seen and time.monotonic() - started < 2.0
    assert len(vendor.requests) == 1  # text already handed out cannot be retried


def test_stalled_stream_before_text_is_retried(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply(kind="stall", events_before_fault=1))
    deltas, response = ask_stream(resolve("openai/gpt-4.1"))
    assert response.retries == 1 and "".join(deltas) == "Hello from the fake vendor."


@pytest.mark.parametrize("name", MODELS)
def test_stream_cut_before_its_terminator_is_malformed(
    name: str, resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(Reply(kind="cut", events_before_fault=4))
    with pytest.raises(MalformedResponseError, match="stream ended"):
        ask_stream(resolve(name))


def test_connection_dropped_mid_chunk_is_malformed(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply(kind="abort", events_before_fault=3))
    with pytest.raises(MalformedResponseError, match="cut short"):
        ask_stream(resolve("openai/gpt-4.1"))


def test_malformed_json_is_retried_then_raised(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(*[Reply(kind="malformed")] * 3)
    with pytest.raises(MalformedResponseError, match="not JSON"):
        ask(resolve("openai/gpt-4.1"))
    assert len(vendor.requests) == 3


def test_malformed_once_then_success(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply(kind="malformed"))
    assert ask(resolve("openai/gpt-4.1")).retries == 1


@pytest.mark.parametrize("name", MODELS)
def test_context_length_is_recognised_and_not_retried(
    name: str, resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(Reply.status_error(400, CONTEXT_BODIES[name]))
    with pytest.raises(ContextLengthError, match="context window"):
        ask(resolve(name))
    assert len(vendor.requests) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_4xx_are_never_retried(status: int, resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply.status_error(status))
    with pytest.raises(ProviderError) as info:
        ask(resolve("openai/gpt-4.1"))
    assert not info.value.retryable and info.value.status == status
    assert len(vendor.requests) == 1


def test_401_names_the_key_variable_and_never_the_key(resolve: Resolve, vendor: FakeVendor) -> None:
    echo = {
        "error": {"message": f"Incorrect API key provided: {FAKE_KEY}.", "code": "invalid_api_key"}
    }
    vendor.script(Reply.status_error(401, echo))
    resolved = resolve("openai/gpt-4.1")
    with pytest.raises(AuthenticationError) as info:
        ask(resolved)
    text = str(info.value)
    assert "check OPENAI_API_KEY" in text and "\n" not in text
    for shown in (text, repr(info.value), repr(resolved), repr(resolved.provider)):
        assert FAKE_KEY not in shown
    assert "***" in text  # the vendor's echo was redacted


def test_a_key_echoed_in_a_mid_stream_error_event_is_redacted(
    resolve: Resolve, vendor: FakeVendor
) -> None:
    echo = {"error": {"message": f"key {FAKE_KEY} was revoked", "code": "invalid_api_key"}}
    vendor.script(Reply(events=(f"data: {json.dumps(echo)}\n\n",)))
    with pytest.raises(AuthenticationError) as info:
        ask_stream(resolve("openrouter/qwen/qwen3-coder"))
    assert FAKE_KEY not in str(info.value) and FAKE_KEY not in repr(info.value)
    assert "revoked" in str(info.value) and "check OPENROUTER_API_KEY" in str(info.value)


def test_anthropic_error_event_mid_stream(resolve: Resolve, vendor: FakeVendor) -> None:
    error = {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}
    vendor.script(Reply(events=(f"event: error\ndata: {json.dumps(error)}\n\n",)))
    deltas, response = ask_stream(resolve("anthropic/claude-haiku-4-5"))
    assert response.retries == 1 and "".join(deltas) == "Hello from the fake vendor."


@pytest.mark.parametrize("name", MODELS)
def test_content_filter_finish_is_an_error(name: str, resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply(finish="content_filter"), Reply(finish="content_filter"))
    with pytest.raises(ContentFilteredError):
        ask(resolve(name))
    with pytest.raises(ContentFilteredError):
        ask_stream(resolve(name))
    assert len(vendor.requests) == 2


def test_gemini_blocked_prompt_is_content_filtered(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply.status_error(200, {"promptFeedback": {"blockReason": "SAFETY"}}))
    with pytest.raises(ContentFilteredError, match="blockReason SAFETY"):
        ask(resolve("gemini/gemini-2.5-flash"))


def test_error_event_mid_stream_is_mapped(resolve: Resolve, vendor: FakeVendor) -> None:
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    # A 200 whose body is an Anthropic error object: parsed, mapped, retried like a 529.
    vendor.script(Reply.status_error(200, overloaded))
    assert ask(resolve("anthropic/claude-haiku-4-5")).retries == 1


def test_connection_refused_is_unavailable(
    resolve: Resolve, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the call: nothing listens there
    monkeypatch.setenv("ROUTR_OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    with pytest.raises(ProviderUnavailableError, match="cannot reach the server"):
        ask(resolve("openai/gpt-4.1"))


def test_a_slow_non_streamed_answer_gets_the_longer_first_byte_limit(
    resolve: Resolve, vendor: FakeVendor
) -> None:
    """A non-streamed answer's first byte comes after the whole generation: not a stall."""
    vendor.script(Reply(delay_s=0.8), Reply(delay_s=0.8))
    patient = Timeouts(read_s=0.3, complete_read_s=3.0)
    assert ask(resolve("openai/gpt-4.1", retry=ONE_TRY, timeouts=patient)).text
    with pytest.raises(ProviderTimeoutError, match=r"no data for 0\.3s"):
        ask_stream(resolve("openai/gpt-4.1", retry=ONE_TRY, timeouts=patient))


def test_a_caller_that_stops_streaming_early_releases_the_connection(
    vendor: FakeVendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTR_OPENAI_BASE_URL", vendor.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    one_connection = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with httpx.Client(limits=one_connection) as client:
        resolved = resolve_model("openai/gpt-4.1", client, timeouts=Timeouts(pool_s=1.0))
        request = ChatRequest(model=resolved.model_id, messages=(Message("user", "hi"),))
        for _ in range(3):
            stream = resolved.provider.stream(request)
            assert next(stream) == "Hello"
            stream.close()  # with a leaked connection the next call would wait for the pool
        assert resolved.provider.complete(request).text
