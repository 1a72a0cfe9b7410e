"""OpenAI's chat-completions wire shapes, read and written in one place.

Reading is strict where a wrong guess would mislead (roles, message content types) and
lenient where OpenAI's own server is (unknown fields pass through or are ignored). Options
the vendor body understands (temperature, top_p, stop, tools, response_format, seed...)
are forwarded as they came; routing hints ride in ``routr`` (as OpenAI SDKs send with
``extra_body``) and an explicit fallback chain in ``models`` (OpenRouter's convention).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from routr_cli.providers.base import Message, Usage

PASSTHROUGH = (
    "top_p", "stop", "tools", "tool_choice", "response_format", "seed", "presence_penalty",
    "frequency_penalty", "logit_bias", "user", "n",
)  # fmt: skip
ROUTED_PREFIX = "routr/"
OBJECTIVE_MODELS = ("routr/auto", "routr/auto:cheap", "routr/auto:fast")


class WireError(Exception):
    """A request OpenAI's API would refuse: mapped to its error shape and status."""

    def __init__(
        self, status: int, message: str, *, kind: str = "invalid_request_error",
        code: str | None = None, param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.code = code
        self.param = param
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return error_body(str(self), self.kind, self.code, self.param)


def error_body(
    message: str, kind: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


@dataclass(frozen=True)
class Hints:
    """``routr: {objective, max_price, providers, exclude_providers, zdr}`` from the body."""

    objective: str | None = None
    max_price: tuple[float | None, float | None] = (None, None)
    providers: tuple[str, ...] = ()
    exclude_providers: tuple[str, ...] = ()
    zdr: bool = False
    category: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ChatCall:
    """One parsed ``POST /v1/chat/completions``."""

    model: str
    messages: tuple[Message, ...]
    stream: bool
    include_usage: bool
    max_tokens: int | None
    temperature: float | None
    chain: tuple[str, ...]  # explicit fallback chain (``models``), else empty
    hints: Hints
    extra: dict[str, Any] = field(default_factory=dict)
    needs: frozenset[str] = frozenset()

    @property
    def objective(self) -> str | tuple[str, ...]:
        """What the router is asked for: an objective name or an explicit chain."""
        if self.chain:
            return self.chain
        if self.model.startswith(ROUTED_PREFIX):
            return self.hints.objective or self.model[len(ROUTED_PREFIX) :]
        return self.hints.objective or (self.model,)


def _text(content: Any, index: int) -> tuple[str, bool]:
    """A message's text, and whether it carried an image part."""
    if isinstance(content, str):
        return content, False
    if isinstance(content, list):
        parts: list[str] = []
        image = False
        for part in content:
            if not isinstance(part, dict):
                raise WireError(400, f"messages[{index}].content parts must be objects")
            if part.get("type") == "text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif part.get("type") in ("image_url", "input_image"):
                image = True
            else:
                raise WireError(400, f"messages[{index}].content: unsupported part type")
        return "".join(parts), image
    if content is None:
        return "", False
    raise WireError(400, f"messages[{index}].content must be a string or a list of parts")


def _number(body: Mapping[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise WireError(400, f"{name} must be a number", param=name)
    return kind(value)


def _hints(raw: Any) -> Hints:
    if raw is None:
        return Hints()
    if not isinstance(raw, dict):
        raise WireError(400, "routr must be an object of routing hints", param="routr")
    price = raw.get("max_price")
    if isinstance(price, (int, float)) and not isinstance(price, bool):
        max_price: tuple[float | None, float | None] = (float(price), float(price))
    elif isinstance(price, dict):
        max_price = (price.get("input"), price.get("output"))
    elif price is None:
        max_price = (None, None)
    else:
        raise WireError(400, "routr.max_price: a number or {input, output}", param="routr")

    def names(key: str) -> tuple[str, ...]:
        value = raw.get(key) or ()
        if isinstance(value, str):
            value = [value]
        if not all(isinstance(v, str) for v in value):
            raise WireError(400, f"routr.{key} must be a list of names", param="routr")
        return tuple(value)

    objective = raw.get("objective")
    if objective is not None and objective not in ("auto", "auto:cheap", "auto:fast"):
        raise WireError(400, "routr.objective: auto, auto:cheap or auto:fast", param="routr")
    return Hints(
        objective=objective,
        max_price=max_price,
        providers=names("providers"),
        exclude_providers=names("exclude_providers"),
        zdr=bool(raw.get("zdr", False)),
        category=raw.get("category"),
        language=raw.get("language"),
    )


def parse_chat(body: Any, *, max_messages: int) -> ChatCall:
    """Read a request body (already JSON-decoded); ``WireError`` for what OpenAI refuses."""
    if not isinstance(body, dict):
        raise WireError(400, "the body must be a JSON object")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise WireError(400, "model is required (routr/auto or provider/model)", param="model")
    raw_messages = body.get("messages")
    if not isinstance(raw_messages, list) or not raw_messages:
        raise WireError(400, "messages must be a non-empty list", param="messages")
    if len(raw_messages) > max_messages:
        raise WireError(400, f"too many messages (at most {max_messages})", param="messages")
    messages: list[Message] = []
    needs: set[str] = set()
    for index, raw in enumerate(raw_messages):
        if not isinstance(raw, dict):
            raise WireError(400, f"messages[{index}] must be an object", param="messages")
        role = raw.get("role")
        if role == "developer":
            role = "system"
        if role not in ("system", "user", "assistant"):
            raise WireError(
                400,
                f"messages[{index}].role {role!r} is not supported (system, developer, user, "
                "assistant)",
                param="messages",
            )
        text, image = _text(raw.get("content"), index)
        if image:
            needs.add("images")
        messages.append(Message(role, text))
    stream = bool(body.get("stream", False))
    options = body.get("stream_options") or {}
    chain = body.get("models") or ()
    if not isinstance(chain, list | tuple) or not all(isinstance(m, str) for m in chain):
        raise WireError(400, "models must be a list of model names", param="models")
    max_tokens = _number(body, "max_completion_tokens", int) or _number(body, "max_tokens", int)
    extra = {k: body[k] for k in PASSTHROUGH if k in body}
    if "tools" in extra:
        needs.add("tools")
    fmt = extra.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") in ("json_object", "json_schema"):
        needs.add("json")
    if stream:
        needs.add("streaming")
    return ChatCall(
        model=model,
        messages=tuple(messages),
        stream=stream,
        include_usage=bool(isinstance(options, dict) and options.get("include_usage")),
        max_tokens=max_tokens,
        temperature=_number(body, "temperature", float),
        chain=tuple(chain),
        hints=_hints(body.get("routr")),
        extra=extra,
        needs=frozenset(needs),
    )


def usage_json(usage: Usage) -> dict[str, int]:
    return {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.input_tokens + usage.output_tokens,
    }


def completion(
    call_id: str, model: str, text: str, finish: str | None, usage: Usage
) -> dict[str, Any]:
    return {
        "id": call_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": finish or "stop",
            }
        ],
        "usage": usage_json(usage),
    }


def chunk(
    call_id: str, model: str, created: int, delta: dict[str, Any], finish: str | None = None
) -> bytes:
    payload = {
        "id": call_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }
    return sse(payload)


def usage_chunk(call_id: str, model: str, created: int, usage: Usage) -> bytes:
    payload = {
        "id": call_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [],
        "usage": usage_json(usage),
    }
    return sse(payload)


# SSE events as ``json.dumps(payload, separators=(",", ":"))`` writes them (ASCII-escaped),
# from one encoder instead of a new one per event.
_encode_sse: Callable[[Any], str] = json.JSONEncoder(separators=(",", ":")).encode


def sse(payload: Mapping[str, Any]) -> bytes:
    return b"data: " + _encode_sse(payload).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"
_DELTA_TAIL = b'},"logprobs":null,"finish_reason":null}]}\n\n'


class ChunkWriter:
    """One stream's ``chat.completion.chunk`` events, byte for byte what ``chunk`` writes
    (tested), with the parts that do not change during a stream encoded once: a text delta
    costs one string encoding and a concatenation, not a dict tree through the encoder."""

    __slots__ = ("_prefix", "call_id", "created", "model")

    def __init__(self, call_id: str, model: str, created: int) -> None:
        self.call_id = call_id
        self.model = model
        self.created = created
        head = _encode_sse(
            {"id": call_id, "object": "chat.completion.chunk", "created": created, "model": model}
        )
        self._prefix = b"data: " + head[:-1].encode() + b',"choices":[{"index":0,"delta":'

    def role(self) -> bytes:
        return self._prefix + b'{"role":"assistant","content":""' + _DELTA_TAIL

    def delta(self, text: str) -> bytes:
        return self._prefix + b'{"content":' + _encode_sse(text).encode() + _DELTA_TAIL

    def finish(self, reason: str) -> bytes:
        return chunk(self.call_id, self.model, self.created, {}, reason)

    def usage(self, usage: Usage) -> bytes:
        return usage_chunk(self.call_id, self.model, self.created, usage)


def model_list(names: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """``GET /v1/models``: (id, owner) pairs in OpenAI's list shape."""
    return {
        "object": "list",
        "data": [{"id": n, "object": "model", "created": 0, "owned_by": o} for n, o in names],
    }
