"""Model providers over HTTP, the provider registry and the pricing catalog.

Import-light: names are loaded on first use (PEP 562), so ``import routr_cli.providers``
costs nothing until something is called.

How a caller (the bench runner, the router) makes a call -- several threads may share one
``httpx.Client`` and one resolved model; providers hold no per-call state::

    import httpx
    from routr_cli.providers import ChatRequest, Message, resolve_model, cost_usd

    with httpx.Client() as client:                       # one client for the whole run
        resolved = resolve_model("sim/frontier", client)  # UnknownModelError, MissingKeyError
        response = resolved.provider.complete(
            ChatRequest(
                model=resolved.model_id,                 # "frontier": the vendor's own id
                messages=(Message("system", "..."), Message("user", "...")),
                extra={"metadata": {"routr_task": "py-ledger-rounding"}},  # merged into the body
            )
        )
        dollars = cost_usd(resolved.name, response.usage)    # None when the price is unknown
        print(resolved.label, response.text, response.retries, dollars)

``complete`` and ``stream`` raise only ``routr_cli.errors.ProviderError`` subclasses, after
retrying the retryable ones (see ``retry.py``); timeouts are ``Timeouts`` (connect 10 s, read
60 s between bytes) plus the ``RetryPolicy`` deadline for the whole call, both overridable
as keyword arguments of ``resolve_model``.

Model names are ``provider/model``; everything after the first slash is the vendor's id.
Providers are configuration (``routr_cli/data/providers.toml``, ``routr.toml``); API keys are
read from the environment at call time and appear in no message, log or repr.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routr_cli.providers.anthropic import AnthropicProvider
    from routr_cli.providers.base import ChatRequest, ChatResponse, Message, Provider, Usage
    from routr_cli.providers.config import ProviderConfig
    from routr_cli.providers.gemini import GeminiProvider
    from routr_cli.providers.http_provider import HttpChatProvider, Timeouts
    from routr_cli.providers.openai_compat import OpenAICompatProvider
    from routr_cli.providers.pricing import Price, cost_usd, load_catalog, price_for
    from routr_cli.providers.registry import (
        ResolvedModel,
        get_provider,
        known_providers,
        resolve_model,
        split_model_name,
    )
    from routr_cli.providers.retry import RetryPolicy

_EXPORTS = {
    "ChatRequest": "base",
    "ChatResponse": "base",
    "Message": "base",
    "Provider": "base",
    "Usage": "base",
    "ProviderConfig": "config",
    "HttpChatProvider": "http_provider",
    "Timeouts": "http_provider",
    "RetryPolicy": "retry",
    "OpenAICompatProvider": "openai_compat",
    "AnthropicProvider": "anthropic",
    "GeminiProvider": "gemini",
    "ResolvedModel": "registry",
    "get_provider": "registry",
    "known_providers": "registry",
    "resolve_model": "registry",
    "split_model_name": "registry",
    "Price": "pricing",
    "cost_usd": "pricing",
    "load_catalog": "pricing",
    "price_for": "pricing",
}

__all__ = [
    "AnthropicProvider",
    "ChatRequest",
    "ChatResponse",
    "GeminiProvider",
    "HttpChatProvider",
    "Message",
    "OpenAICompatProvider",
    "Price",
    "Provider",
    "ProviderConfig",
    "ResolvedModel",
    "RetryPolicy",
    "Timeouts",
    "Usage",
    "cost_usd",
    "get_provider",
    "known_providers",
    "load_catalog",
    "price_for",
    "resolve_model",
    "split_model_name",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'routr_cli.providers' has no attribute {name!r}")
    return getattr(importlib.import_module(f"routr_cli.providers.{module}"), name)
