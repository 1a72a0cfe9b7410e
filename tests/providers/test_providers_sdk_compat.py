"""The official ``openai`` and ``anthropic`` SDKs against the fake vendor.

If the SDKs -- written by the vendors against their real APIs -- read the fake's answers,
streams and usage correctly, the fake speaks the real wire format, and the adapter tests run
against the same fake mean something. Each test then runs our adapter on the same server.
"""

from __future__ import annotations

from collections.abc import Callable

import anthropic
import openai
import pytest
from fake_vendor_server import FakeVendor
from provider_test_settings import FAKE_KEY

from routr_cli.providers.base import ChatRequest, Message
from routr_cli.providers.registry import ResolvedModel

Resolve = Callable[..., ResolvedModel]
TEXT = "Hello from the fake vendor."


def openai_sdk(vendor: FakeVendor) -> openai.OpenAI:
    return openai.OpenAI(api_key=FAKE_KEY, base_url=vendor.url + "/v1", max_retries=0)


def anthropic_sdk(vendor: FakeVendor) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=FAKE_KEY, base_url=vendor.url, max_retries=0)


def test_openai_sdk_reads_a_completion(vendor: FakeVendor, resolve: Resolve) -> None:
    with openai_sdk(vendor) as sdk:
        completion = sdk.chat.completions.create(
            model="gpt-4.1", messages=[{"role": "user", "content": "hi"}]
        )
    assert completion.choices[0].message.content == TEXT
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == 120
    assert completion.usage.prompt_tokens_details is not None
    assert completion.usage.prompt_tokens_details.cached_tokens == 40
    assert completion.usage.completion_tokens_details is not None
    assert completion.usage.completion_tokens_details.reasoning_tokens == 8
    assert vendor.requests[-1].headers["authorization"] == f"Bearer {FAKE_KEY}"

    ours = resolve("openai/gpt-4.1").provider.complete(
        ChatRequest(model="gpt-4.1", messages=(Message("user", "hi"),))
    )
    assert ours.text == completion.choices[0].message.content
    assert ours.usage.input_tokens == completion.usage.prompt_tokens
    assert ours.usage.output_tokens == completion.usage.completion_tokens


def test_openai_sdk_reads_a_stream_with_usage(vendor: FakeVendor, resolve: Resolve) -> None:
    with openai_sdk(vendor) as sdk:
        chunks = list(
            sdk.chat.completions.create(
                model="gpt-4.1",
                messages=[{"role": "user", "content": "hi"}],
                stream=True,
                stream_options={"include_usage": True},
            )
        )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == TEXT
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == [] and usage_chunk.usage is not None
    assert usage_chunk.usage.completion_tokens == 30

    stream = resolve("openai/gpt-4.1").provider.stream(
        ChatRequest(model="gpt-4.1", messages=(Message("user", "hi"),))
    )
    assert "".join(stream) == text


def test_anthropic_sdk_reads_a_message(vendor: FakeVendor, resolve: Resolve) -> None:
    with anthropic_sdk(vendor) as sdk:
        message = sdk.messages.create(
            model="claude-haiku-4-5",
            max_tokens=100,
            system="be brief",
            messages=[{"role": "user", "content": "hi"}],
        )
    assert message.content[0].type == "text" and message.content[0].text == TEXT
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens == 60
    assert message.usage.cache_read_input_tokens == 40
    assert message.usage.cache_creation_input_tokens == 20
    assert vendor.requests[-1].path == "/v1/messages"

    ours = resolve("anthropic/claude-haiku-4-5").provider.complete(
        ChatRequest(model="claude-haiku-4-5", messages=(Message("user", "hi"),))
    )
    assert ours.text == TEXT
    assert ours.usage.input_tokens == 60 + 40 + 20  # normalised: cache reads/writes included
    assert ours.usage.cached_input_tokens == message.usage.cache_read_input_tokens


def test_anthropic_sdk_reads_a_stream(vendor: FakeVendor, resolve: Resolve) -> None:
    with (
        anthropic_sdk(vendor) as sdk,
        sdk.messages.stream(
            model="claude-haiku-4-5",
            max_tokens=100,
            messages=[{"role": "user", "content": "hi"}],
        ) as stream,
    ):
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == TEXT
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == 30

    ours = resolve("anthropic/claude-haiku-4-5").provider.stream(
        ChatRequest(model="claude-haiku-4-5", messages=(Message("user", "hi"),))
    )
    assert "".join(ours) == text


@pytest.mark.parametrize("status", [429, 500])
def test_sdks_and_adapters_agree_on_error_classes(
    status: int, vendor: FakeVendor, resolve: Resolve
) -> None:
    """The fake's error bodies are ones the SDK maps to its own matching exception."""
    from fake_vendor_server import Reply

    vendor.script(Reply.status_error(status, retry_after="0"))
    expected = openai.RateLimitError if status == 429 else openai.InternalServerError
    with openai_sdk(vendor) as sdk, pytest.raises(expected):
        sdk.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "hi"}])
