"""Each adapter against the fake vendor: request shape, text, usage, cost, streaming."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fake_vendor_server import FakeUsage, FakeVendor, Reply
from provider_test_settings import FAKE_KEY, drain

from routr_cli.errors import MalformedResponseError
from routr_cli.providers.base import ChatRequest, Message, Usage
from routr_cli.providers.registry import ResolvedModel

Resolve = Callable[..., ResolvedModel]
MESSAGES = (
    Message("system", "You are terse."),
    Message("user", "Say hello."),
    Message("assistant", "Hi."),
    Message("user", "Again."),
)
EXPECTED_USAGE = Usage(
    input_tokens=120, output_tokens=30, cached_input_tokens=40, cache_write_tokens=0,
    reasoning_tokens=8,
)  # fmt: skip
MODELS = ["openai/gpt-4.1", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"]


def request(model_id: str, **extra: object) -> ChatRequest:
    return ChatRequest(
        model=model_id, messages=MESSAGES, max_tokens=256, temperature=0.0, seed=7, extra=extra
    )


@pytest.mark.parametrize("name", MODELS)
def test_complete_reads_text_usage_and_finish(name: str, resolve: Resolve) -> None:
    resolved = resolve(name)
    response = resolved.provider.complete(request(resolved.model_id))
    assert response.text == "Hello from the fake vendor."
    assert response.finish_reason == "stop"
    assert response.retries == 0
    assert response.latency_s > 0
    assert response.ttft_s is None
    assert response.model == resolved.model_id
    assert response.usage.input_tokens == 120
    assert response.usage.output_tokens == 30
    assert response.usage.cached_input_tokens == 40


@pytest.mark.parametrize("name", MODELS)
def test_stream_yields_deltas_then_the_same_answer(name: str, resolve: Resolve) -> None:
    resolved = resolve(name)
    deltas, response = drain(resolved.provider.stream(request(resolved.model_id)))
    assert deltas == ["Hello", " from", " the", " fake", " vendor."]
    assert response.text == "".join(deltas)
    assert response.finish_reason == "stop"
    assert response.usage.input_tokens == 120 and response.usage.output_tokens == 30
    assert response.ttft_s is not None and 0 < response.ttft_s <= response.latency_s


def test_openai_usage_details_and_openrouter_cost(resolve: Resolve, vendor: FakeVendor) -> None:
    resolved = resolve("openrouter/anthropic/claude-sonnet-4")
    assert resolved.model_id == "anthropic/claude-sonnet-4"
    response = resolved.provider.complete(request(resolved.model_id))
    assert response.usage == EXPECTED_USAGE
    assert response.provider_cost_usd == pytest.approx(0.00123)
    _, streamed = drain(resolved.provider.stream(request(resolved.model_id)))
    assert streamed.usage == EXPECTED_USAGE
    assert streamed.provider_cost_usd == pytest.approx(0.00123)


def test_openai_request_shape(resolve: Resolve, vendor: FakeVendor) -> None:
    resolved = resolve("openai/gpt-4.1")
    drain(resolved.provider.stream(request(resolved.model_id, routr_task="t1")))
    sent = vendor.requests[-1]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"].startswith("Bearer sk-routr-TEST")
    assert sent.body["messages"][0] == {"role": "system", "content": "You are terse."}
    assert sent.body["stream"] is True
    assert sent.body["stream_options"] == {"include_usage": True}
    assert (sent.body["temperature"], sent.body["seed"]) == (0.0, 7)
    # OpenAI's reasoning models reject max_tokens; the openai entry asks for the new field.
    assert sent.body["max_completion_tokens"] == 256 and "max_tokens" not in sent.body
    assert sent.body["routr_task"] == "t1"  # ChatRequest.extra is merged into the body


def test_compatible_vendors_get_max_tokens(resolve: Resolve, vendor: FakeVendor) -> None:
    resolved = resolve("openrouter/qwen/qwen3-coder")
    resolved.provider.complete(request(resolved.model_id))
    assert vendor.requests[-1].body["max_tokens"] == 256
    assert vendor.requests[-1].body["model"] == "qwen/qwen3-coder"


def test_anthropic_request_shape_and_cache_usage(resolve: Resolve, vendor: FakeVendor) -> None:
    resolved = resolve("anthropic/claude-haiku-4-5")
    response = resolved.provider.complete(request(resolved.model_id))
    sent = vendor.requests[-1]
    assert sent.path == "/v1/messages"
    assert sent.headers["x-api-key"].startswith("sk-routr-TEST")
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert sent.body["system"] == "You are terse."
    assert [m["role"] for m in sent.body["messages"]] == ["user", "assistant", "user"]
    assert "seed" not in sent.body
    # Anthropic counts cache reads and writes apart from input_tokens; we fold them in.
    assert response.usage == Usage(
        input_tokens=120, output_tokens=30, cached_input_tokens=40, cache_write_tokens=20
    )
    _, streamed = drain(resolved.provider.stream(request(resolved.model_id)))
    assert streamed.usage == response.usage


def test_gemini_request_shape_and_thought_tokens(resolve: Resolve, vendor: FakeVendor) -> None:
    resolved = resolve("gemini/gemini-2.5-flash")
    response = resolved.provider.complete(request(resolved.model_id))
    sent = vendor.requests[-1]
    assert sent.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert sent.headers["x-goog-api-key"].startswith("sk-routr-TEST")
    assert "key=" not in sent.path
    assert sent.body["systemInstruction"] == {"parts": [{"text": "You are terse."}]}
    assert [c["role"] for c in sent.body["contents"]] == ["user", "model", "user"]
    assert sent.body["generationConfig"] == {"maxOutputTokens": 256, "temperature": 0.0, "seed": 7}
    assert response.usage == EXPECTED_USAGE  # candidates 22 + thoughts 8 = 30 output
    drain(resolved.provider.stream(request(resolved.model_id)))
    assert (
        vendor.requests[-1].path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    )


def test_length_finish_is_an_answer_not_an_error(resolve: Resolve, vendor: FakeVendor) -> None:
    for name in MODELS:
        vendor.script(Reply(finish="length"))
        resolved = resolve(name)
        assert resolved.provider.complete(request(resolved.model_id)).finish_reason == "length"


def test_usage_without_cache_details_defaults_to_zero(resolve: Resolve, vendor: FakeVendor) -> None:
    vendor.script(Reply(usage=FakeUsage(prompt=10, completion=5, cached=0, cache_write=0,
                                        reasoning=0, cost=None)))  # fmt: skip
    resolved = resolve("openai/gpt-4.1")
    response = resolved.provider.complete(request(resolved.model_id))
    assert response.usage == Usage(input_tokens=10, output_tokens=5)
    assert response.provider_cost_usd is None


def test_gemini_thought_parts_are_not_answer_text(resolve: Resolve, vendor: FakeVendor) -> None:
    def event(parts: list[dict[str, object]], finish: str | None) -> str:
        candidate: dict[str, object] = {"content": {"role": "model", "parts": parts}, "index": 0}
        if finish:
            candidate["finishReason"] = finish
        usage = {"promptTokenCount": 9, "candidatesTokenCount": 3, "thoughtsTokenCount": 40}
        return f"data: {json.dumps({'candidates': [candidate], 'usageMetadata': usage})}\r\n\r\n"

    vendor.script(
        Reply(
            events=(
                event([{"text": "Let me think...", "thought": True}], None),
                event([{"text": "Answer"}], None),
                event([{"text": "."}], "STOP"),
            )
        )
    )
    deltas, response = drain(
        resolve("gemini/gemini-2.5-pro").provider.stream(request("gemini-2.5-pro"))
    )
    assert deltas == ["Answer", "."]
    assert response.usage == Usage(input_tokens=9, output_tokens=43, reasoning_tokens=40)


def test_anthropic_thinking_deltas_are_not_answer_text(
    resolve: Resolve, vendor: FakeVendor
) -> None:
    def event(name: str, data: dict[str, object]) -> str:
        return f"event: {name}\ndata: {json.dumps(dict(data, type=name))}\n\n"

    start = {"model": "claude-haiku-4-5", "usage": {"input_tokens": 5, "output_tokens": 1}}
    vendor.script(
        Reply(
            events=(
                event("message_start", {"message": start}),
                event("content_block_delta", {"index": 0, "delta": {"type": "thinking_delta", "thinking": "hmm"}}),
                event("content_block_delta", {"index": 1, "delta": {"type": "text_delta", "text": "Done"}}),
                event("message_delta", {"delta": {"stop_reason": "max_tokens"}, "usage": {"output_tokens": 50}}),
                event("message_stop", {}),
            )
        )
    )  # fmt: skip
    deltas, response = drain(
        resolve("anthropic/claude-haiku-4-5").provider.stream(request("claude-haiku-4-5"))
    )
    assert deltas == ["Done"] and response.finish_reason == "length"
    assert response.usage == Usage(input_tokens=5, output_tokens=50)


def test_deepseek_cache_hit_tokens_count_as_cached(resolve: Resolve, vendor: FakeVendor) -> None:
    answer = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "deepseek-chat",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 2, "prompt_cache_hit_tokens": 64,
                  "prompt_cache_miss_tokens": 36},
    }  # fmt: skip
    vendor.script(Reply.status_error(200, answer))
    response = resolve("openrouter/deepseek/deepseek-chat").provider.complete(request("x"))
    assert response.usage == Usage(input_tokens=100, output_tokens=2, cached_input_tokens=64)


def test_groq_stream_usage_under_x_groq_is_read(
    resolve: Resolve, vendor: FakeVendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTR_GROQ_BASE_URL", vendor.url + "/v1")
    monkeypatch.setenv("GROQ_API_KEY", FAKE_KEY)

    def event(payload: dict[str, object]) -> str:
        return f"data: {json.dumps({'id': 'x', 'model': 'llama-3.3-70b', **payload})}\n\n"

    delta = {"index": 0, "delta": {"content": "ok"}, "finish_reason": None}
    usage = {"queue_time": 0.01, "prompt_tokens": 12, "completion_tokens": 1, "total_tokens": 13}
    vendor.script(
        Reply(
            events=(
                event({"choices": [delta]}),
                event({"choices": [{**delta, "delta": {}, "finish_reason": "stop"}],
                       "x_groq": {"id": "req_1", "usage": usage}}),
                "data: [DONE]\n\n",
            )
        )
    )  # fmt: skip
    deltas, response = drain(resolve("groq/llama-3.3-70b").provider.stream(request("x")))
    assert deltas == ["ok"] and response.usage == Usage(input_tokens=12, output_tokens=1)


@pytest.mark.parametrize(
    "answer",
    [
        {"choices": []},
        {"choices": [{"message": {"content": 5}}]},
        {"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "many"}},
        {"nothing": True},
    ],
)
def test_answers_missing_or_mistyped_fields_are_malformed(
    answer: dict[str, object], resolve: Resolve, vendor: FakeVendor
) -> None:
    vendor.script(*[Reply.status_error(200, answer)] * 3)
    with pytest.raises(MalformedResponseError):
        resolve("openai/gpt-4.1").provider.complete(request("gpt-4.1"))
