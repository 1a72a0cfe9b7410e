"""Google's Gemini API: ``{base}/models/{id}:generateContent`` and, streamed,
``:streamGenerateContent?alt=sse`` (each SSE event is a whole ``GenerateContentResponse``).

The key goes in the ``x-goog-api-key`` header, never the URL. System messages become
``systemInstruction``; the assistant role is ``model``. Gemini streams have no terminator
event, so a stream is complete only once a candidate carries a ``finishReason``; without one
it was cut short. A blocked prompt (``promptFeedback.blockReason``) or a safety finish
(``SAFETY``, ``PROHIBITED_CONTENT`` ...) is a ``ContentFilteredError``.

Usage is normalised: ``promptTokenCount`` already includes ``cachedContentTokenCount``;
``thoughtsTokenCount`` is billed as output but reported apart from ``candidatesTokenCount``,
so ``Usage.output_tokens = candidates + thoughts`` and ``reasoning_tokens = thoughts``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from routr_cli.errors import ContentFilteredError
from routr_cli.providers.base import ChatRequest, Usage
from routr_cli.providers.error_map import error_from_body, malformed
from routr_cli.providers.http_provider import HttpCall, HttpChatProvider, Parsed, StreamReader
from routr_cli.providers.sse import SSEEvent
from routr_cli.providers.wire import as_dict, as_int, as_list

_BLOCKED = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION", "IMAGE_SAFETY"}
_FINISH = {"STOP": "stop", "MAX_TOKENS": "length"}


def _usage(raw: object, provider: str) -> Usage:
    meta = as_dict(raw, provider, "usageMetadata")
    thoughts = as_int(meta.get("thoughtsTokenCount"), provider, "thoughtsTokenCount")
    return Usage(
        input_tokens=as_int(meta.get("promptTokenCount"), provider, "promptTokenCount"),
        output_tokens=as_int(meta.get("candidatesTokenCount"), provider, "candidatesTokenCount")
        + thoughts,
        cached_input_tokens=as_int(
            meta.get("cachedContentTokenCount"), provider, "cachedContentTokenCount"
        ),
        reasoning_tokens=thoughts,
    )


class _Chunk:
    """One ``GenerateContentResponse``: its visible text, finish reason, usage, model."""

    def __init__(self, data: object, provider: str, key_env: str) -> None:
        body = as_dict(data, provider, "response")
        if body.get("error"):
            raise error_from_body(provider, json.dumps(body), key_env=key_env)
        feedback = body.get("promptFeedback")
        if isinstance(feedback, dict) and feedback.get("blockReason"):
            raise ContentFilteredError(
                f"{provider}: prompt blocked (blockReason {feedback['blockReason']}) "
                "-- rephrase the prompt"
            )
        self.text = ""
        self.finish: str | None = None
        candidates = as_list(body.get("candidates") or [], provider, "candidates")
        if candidates:
            candidate = as_dict(candidates[0], provider, "candidates[0]")
            content = as_dict(candidate.get("content") or {}, provider, "content")
            parts = as_list(content.get("parts") or [], provider, "content.parts")
            self.text = "".join(
                str(p.get("text", ""))
                for p in parts
                if isinstance(p, dict) and not p.get("thought")
            )
            finish = candidate.get("finishReason")
            if finish in _BLOCKED:
                raise ContentFilteredError(
                    f"{provider}: answer blocked (finishReason {finish}) -- rephrase the prompt"
                )
            if isinstance(finish, str) and finish != "FINISH_REASON_UNSPECIFIED":
                self.finish = _FINISH.get(finish, finish.lower())
        self.usage = _usage(body["usageMetadata"], provider) if body.get("usageMetadata") else None
        self.model = str(body.get("modelVersion") or "")


class _GeminiStreamReader(StreamReader):
    def __init__(self, provider: str, key_env: str) -> None:
        super().__init__(provider, key_env)
        self.usage = Usage()

    def feed(self, event: SSEEvent) -> list[str]:
        try:
            chunk = _Chunk(json.loads(event.data), self.provider, self.key_env)
        except ValueError:
            raise malformed(self.provider, "stream chunk is not JSON") from None
        self.usage = chunk.usage or self.usage
        self.model = chunk.model or self.model
        self.finish_reason = chunk.finish or self.finish_reason
        if chunk.text:
            self.parts.append(chunk.text)
            return [chunk.text]
        return []

    def finish(self) -> Parsed:
        if self.finish_reason is None:
            raise malformed(self.provider, "stream ended before a finishReason")
        return self.parsed(self.usage)


class GeminiProvider(HttpChatProvider):
    """Gemini models through the Generative Language API."""

    reader_class = _GeminiStreamReader

    def build_call(self, request: ChatRequest, *, stream: bool, api_key: str | None) -> HttpCall:
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        body: dict[str, Any] = {
            "contents": [
                {
                    "role": "model" if m.role == "assistant" else "user",
                    "parts": [{"text": m.content}],
                }
                for m in request.messages
                if m.role != "system"
            ]
        }
        if system:
            body["systemInstruction"] = {"parts": [{"text": system}]}
        config: dict[str, Any] = {}
        if request.max_tokens is not None:
            config["maxOutputTokens"] = request.max_tokens
        if request.temperature is not None:
            config["temperature"] = request.temperature
        if request.seed is not None:
            config["seed"] = request.seed
        if config:
            body["generationConfig"] = config
        body.update(request.extra)
        model = quote(request.model.removeprefix("models/"), safe="-._~")
        path = (
            f"/models/{model}:streamGenerateContent?alt=sse"
            if stream
            else f"/models/{model}:generateContent"
        )
        headers = {"Accept": "text/event-stream" if stream else "application/json"}
        if api_key:
            headers["x-goog-api-key"] = api_key
        return HttpCall(path=path, headers=headers, body=body)

    def parse_complete(self, data: Any) -> Parsed:
        chunk = _Chunk(data, self.name, self.config.key_env)
        if chunk.finish is None:
            raise malformed(self.name, "no candidate with a finishReason")
        return Parsed(
            text=chunk.text,
            usage=chunk.usage or Usage(),
            model=chunk.model,
            finish_reason=chunk.finish,
        )
