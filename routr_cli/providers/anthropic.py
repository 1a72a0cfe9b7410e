"""The Anthropic Messages API (``POST {base}/messages``, ``x-api-key``, ``anthropic-version``).

System messages move to the top-level ``system`` field; ``max_tokens`` is mandatory there, so
a request without one gets ``DEFAULT_MAX_TOKENS``. Seeds are not supported by the API and are
dropped. Streams are the typed SSE events ``message_start``, ``content_block_start/delta/stop``,
``message_delta`` and ``message_stop`` (plus ``ping`` and ``error``); a stream without
``message_stop`` was cut short and is an error.

Usage is normalised to the OpenAI convention: Anthropic's ``input_tokens`` excludes cache
reads and writes, so ``Usage.input_tokens = input + cache_read + cache_creation``, with the
two cache counts also kept separately for pricing.
"""

from __future__ import annotations

import json
from typing import Any

from routr_cli.errors import ContentFilteredError
from routr_cli.providers.base import ChatRequest, Usage
from routr_cli.providers.error_map import error_from_body, malformed
from routr_cli.providers.http_provider import HttpCall, HttpChatProvider, Parsed, StreamReader
from routr_cli.providers.sse import SSEEvent
from routr_cli.providers.wire import as_dict, as_int, as_list

ANTHROPIC_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 8192
_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length"}


def _finish_reason(provider: str, stop_reason: object) -> str | None:
    if stop_reason == "refusal":
        raise ContentFilteredError(
            f"{provider}: the model declined for safety reasons (stop_reason refusal) "
            "-- rephrase the prompt"
        )
    if not isinstance(stop_reason, str):
        return None
    return _FINISH.get(stop_reason, stop_reason)


class _UsageCounts:
    """Anthropic reports usage in pieces (message_start, then message_delta); merge them."""

    def __init__(self) -> None:
        self.counts = {
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_read_input_tokens": 0,
            "cache_creation_input_tokens": 0,
        }

    def update(self, raw: object, provider: str) -> None:
        usage = as_dict(raw, provider, "usage")
        for name in self.counts:
            if usage.get(name) is not None:
                self.counts[name] = as_int(usage[name], provider, f"usage.{name}")

    def usage(self) -> Usage:
        c = self.counts
        cached, written = c["cache_read_input_tokens"], c["cache_creation_input_tokens"]
        return Usage(
            input_tokens=c["input_tokens"] + cached + written,
            output_tokens=c["output_tokens"],
            cached_input_tokens=cached,
            cache_write_tokens=written,
        )


class _AnthropicStreamReader(StreamReader):
    def __init__(self, provider: str, key_env: str) -> None:
        super().__init__(provider, key_env)
        self.counts = _UsageCounts()
        self.started = False

    def feed(self, event: SSEEvent) -> list[str]:
        try:
            data = as_dict(json.loads(event.data), self.provider, "event data")
        except ValueError:
            raise malformed(self.provider, f"event {event.event or '?'} is not JSON") from None
        kind = event.event or str(data.get("type", ""))
        if kind == "error":
            raise error_from_body(self.provider, event.data, key_env=self.key_env)
        if kind == "message_start":
            start = as_dict(data.get("message"), self.provider, "message_start.message")
            self.model = str(start.get("model") or "")
            self.counts.update(start.get("usage") or {}, self.provider)
            self.started = True
        elif kind == "content_block_delta":
            delta = as_dict(data.get("delta"), self.provider, "content_block_delta.delta")
            text = delta.get("text")
            if delta.get("type") == "text_delta" and isinstance(text, str) and text:
                self.parts.append(text)
                return [text]
        elif kind == "message_delta":
            delta = as_dict(data.get("delta") or {}, self.provider, "message_delta.delta")
            self.finish_reason = _finish_reason(self.provider, delta.get("stop_reason"))
            if data.get("usage") is not None:
                self.counts.update(data["usage"], self.provider)
        elif kind == "message_stop":
            self.done = True
        return []

    def finish(self) -> Parsed:
        if not self.started:
            raise malformed(self.provider, "stream had no message_start")
        if not self.done:
            raise malformed(self.provider, "stream ended without message_stop")
        return self.parsed(self.counts.usage())


class AnthropicProvider(HttpChatProvider):
    """Claude models through the Messages API."""

    reader_class = _AnthropicStreamReader

    def build_call(self, request: ChatRequest, *, stream: bool, api_key: str | None) -> HttpCall:
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens or DEFAULT_MAX_TOKENS,
            "messages": [
                {"role": m.role, "content": m.content}
                for m in request.messages
                if m.role != "system"
            ],
        }
        if system:
            body["system"] = system
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if stream:
            body["stream"] = True
        body.update(request.extra)
        headers = {
            "anthropic-version": ANTHROPIC_VERSION,
            "Accept": "text/event-stream" if stream else "application/json",
        }
        if api_key:
            headers["x-api-key"] = api_key
        return HttpCall(path="/messages", headers=headers, body=body)

    def parse_complete(self, data: Any) -> Parsed:
        body = as_dict(data, self.name, "body")
        if body.get("type") == "error":
            raise error_from_body(self.name, json.dumps(body), key_env=self.config.key_env)
        blocks = as_list(body.get("content"), self.name, "content")
        text = "".join(
            str(block.get("text", ""))
            for block in blocks
            if isinstance(block, dict) and block.get("type") == "text"
        )
        counts = _UsageCounts()
        counts.update(body.get("usage"), self.name)
        return Parsed(
            text=text,
            usage=counts.usage(),
            model=str(body.get("model") or ""),
            finish_reason=_finish_reason(self.name, body.get("stop_reason")),
        )
