"""The provider contract (after Simon Willison's ``llm``): one small protocol.

``Provider.complete`` sends a chat request and returns a ``ChatResponse``, or raises a
``ProviderError`` subclass (``routr_cli.errors``) -- never an httpx or JSON exception.
``Provider.stream`` yields text deltas and then returns the final ``ChatResponse``
(the generator's return value); a stream that stalls or ends early raises.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat turn. Plain text only: coding tasks need no images or tool calls."""

    role: Role
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One call, vendor-neutral; each adapter translates it into its own wire format."""

    model: str  # the vendor's model id (the part after ``provider/``)
    messages: tuple[Message, ...]
    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # vendor-specific body fields


@dataclass(frozen=True)
class Usage:
    """Token counts in the OpenAI convention, whatever the vendor reports.

    ``input_tokens`` *includes* cached reads and cache writes (Anthropic reports them apart;
    its adapter adds them back) and ``output_tokens`` *includes* reasoning tokens (Gemini
    reports thoughts apart). One convention is what lets ``pricing.cost_from_price`` price
    every vendor with one formula; the detail fields say how much of each total was what.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0


@dataclass(frozen=True)
class ChatResponse:
    """A complete answer: never a stream that was cut short (that is an error instead)."""

    text: str
    usage: Usage = Usage()
    model: str = ""
    finish_reason: str | None = None
    latency_s: float = 0.0  # wall time of the whole call, retries included
    ttft_s: float | None = None  # time to first token when streamed
    provider_cost_usd: float | None = None  # what the vendor says it charged, if it says
    retries: int = 0


class Provider(Protocol):
    name: str  # the configured provider name, e.g. "openai", "sim"

    def complete(self, request: ChatRequest) -> ChatResponse:
        """The whole answer at once, after any retries; raises ``ProviderError``."""
        ...

    def stream(self, request: ChatRequest) -> Generator[str, None, ChatResponse]:
        """Text deltas as they arrive, then (as the return value) the whole answer."""
        ...
