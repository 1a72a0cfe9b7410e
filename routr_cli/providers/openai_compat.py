"""The OpenAI chat-completions format: OpenAI, OpenRouter, Together, Groq, DeepSeek, Mistral,
Fireworks, xAI, Ollama, vLLM, LM Studio and the simulated models all speak it.

One class serves them all; the vendor is configuration (``providers.toml``). Streams ask for
``stream_options: {include_usage: true}`` so the last chunk carries the usage, and end with
``data: [DONE]``. A stream is complete once its finish chunk arrived: servers that omit
``[DONE]`` (some local ones) are finished promptly -- at the usage chunk that follows the
finish chunk, or when the connection closes -- instead of waiting for a terminator that
never comes. A stream that ends before any finish chunk was cut short and is an error.

Usage is normalised the OpenAI way: ``input_tokens`` includes cached tokens
(``prompt_tokens_details.cached_tokens``, or DeepSeek's ``prompt_cache_hit_tokens``) and
``output_tokens`` includes reasoning tokens. OpenRouter's ``usage.cost`` (USD) becomes
``provider_cost_usd``. Groq streams carry their usage in ``x_groq.usage`` instead.
"""

from __future__ import annotations

import json
from typing import Any

from routr_cli.errors import ContentFilteredError
from routr_cli.providers.base import ChatRequest, Usage
from routr_cli.providers.error_map import error_from_body, malformed
from routr_cli.providers.http_provider import HttpCall, HttpChatProvider, Parsed, StreamReader
from routr_cli.providers.sse import SSEEvent
from routr_cli.providers.wire import as_dict, as_int, as_list, optional_float


def _usage(raw: object, provider: str) -> tuple[Usage, float | None]:
    if raw is None:
        return Usage(), None
    usage = as_dict(raw, provider, "usage")
    prompt_details = as_dict(usage.get("prompt_tokens_details") or {}, provider, "usage")
    completion_details = as_dict(usage.get("completion_tokens_details") or {}, provider, "usage")
    cached = as_int(prompt_details.get("cached_tokens"), provider, "cached_tokens") or as_int(
        usage.get("prompt_cache_hit_tokens"), provider, "prompt_cache_hit_tokens"
    )
    return (
        Usage(
            input_tokens=as_int(usage.get("prompt_tokens"), provider, "prompt_tokens"),
            output_tokens=as_int(usage.get("completion_tokens"), provider, "completion_tokens"),
            cached_input_tokens=cached,
            cache_write_tokens=as_int(
                prompt_details.get("cache_write_tokens"), provider, "cache_write_tokens"
            ),
            reasoning_tokens=as_int(
                completion_details.get("reasoning_tokens"), provider, "reasoning_tokens"
            ),
        ),
        optional_float(usage.get("cost"), provider, "usage.cost"),
    )


def _check_finish(provider: str, finish_reason: object) -> None:
    if finish_reason == "content_filter":
        raise ContentFilteredError(
            f"{provider}: answer stopped by the content filter (finish_reason content_filter) "
            "-- rephrase the prompt"
        )


def _raise_embedded_error(provider: str, data: dict[str, Any], key_env: str) -> None:
    """OpenRouter and others report failures mid-stream as a chunk with an ``error`` field."""
    if data.get("error"):  # some servers send "error": null on success
        raise error_from_body(provider, json.dumps(data), key_env=key_env)


class _OpenAIStreamReader(StreamReader):
    def __init__(self, provider: str, key_env: str) -> None:
        super().__init__(provider, key_env)
        self.usage = Usage()
        self.cost: float | None = None

    def feed(self, event: SSEEvent) -> list[str]:
        if event.data.strip() == "[DONE]":
            self.done = True
            return []
        if event.event == "error":
            raise error_from_body(self.provider, event.data, key_env=self.key_env)
        try:
            chunk = as_dict(json.loads(event.data), self.provider, "chunk")
        except ValueError:
            raise malformed(self.provider, "stream chunk is not JSON") from None
        _raise_embedded_error(self.provider, chunk, self.key_env)
        self.model = str(chunk.get("model") or self.model)
        raw_usage = chunk.get("usage")
        if raw_usage is None:  # Groq reports a stream's usage under its own "x_groq" key
            extension = chunk.get("x_groq")
            raw_usage = extension.get("usage") if isinstance(extension, dict) else None
        if raw_usage is not None:
            self.usage, self.cost = _usage(raw_usage, self.provider)
            if self.finish_reason is not None and not chunk.get("choices"):
                self.done = True  # the usage chunk comes last: no need to wait for [DONE]
        deltas: list[str] = []
        for raw_choice in as_list(chunk.get("choices") or [], self.provider, "choices"):
            choice = as_dict(raw_choice, self.provider, "choice")
            delta = as_dict(choice.get("delta") or {}, self.provider, "delta")
            text = delta.get("content")
            if isinstance(text, str) and text:
                deltas.append(text)
            finish = choice.get("finish_reason")
            if isinstance(finish, str):
                _check_finish(self.provider, finish)
                self.finish_reason = finish
        self.parts.extend(deltas)
        return deltas

    def finish(self) -> Parsed:
        if not self.done and self.finish_reason is None:
            raise malformed(self.provider, "stream ended without a finish chunk or data: [DONE]")
        return self.parsed(self.usage, self.cost)


class OpenAICompatProvider(HttpChatProvider):
    """Chat completions over HTTP for any OpenAI-compatible server."""

    reader_class = _OpenAIStreamReader

    def build_call(self, request: ChatRequest, *, stream: bool, api_key: str | None) -> HttpCall:
        body: dict[str, Any] = {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        if request.max_tokens is not None:
            body[self.config.max_tokens_field] = request.max_tokens
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.seed is not None:
            body["seed"] = request.seed
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(request.extra)
        headers = {"Accept": "text/event-stream" if stream else "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        return HttpCall(path="/chat/completions", headers=headers, body=body)

    def parse_complete(self, data: Any) -> Parsed:
        body = as_dict(data, self.name, "body")
        _raise_embedded_error(self.name, body, self.config.key_env)
        choices = as_list(body.get("choices"), self.name, "choices")
        if not choices:
            raise malformed(self.name, "no choices")
        choice = as_dict(choices[0], self.name, "choices[0]")
        message = as_dict(choice.get("message"), self.name, "choices[0].message")
        _check_finish(self.name, choice.get("finish_reason"))
        content = message.get("content")
        if content is None and message.get("refusal"):
            raise ContentFilteredError(
                f"{self.name}: the model refused to answer -- rephrase the prompt"
            )
        if content is not None and not isinstance(content, str):
            raise malformed(self.name, "message content is not a string")
        usage, cost = _usage(body.get("usage"), self.name)
        finish = choice.get("finish_reason")
        return Parsed(
            text=content or "",
            usage=usage,
            model=str(body.get("model") or ""),
            finish_reason=finish if isinstance(finish, str) else None,
            provider_cost_usd=cost,
        )
