"""From a model name (``provider/model``) to a ready ``Provider`` and the vendor's model id.

Everything after the *first* slash is the vendor's id, so
``openrouter/anthropic/claude-sonnet-4`` is provider ``openrouter``, model
``anthropic/claude-sonnet-4``. The provider's API format picks the adapter class; the rest of
the provider is configuration (see ``config.py``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import httpx

from routr_cli.errors import UnknownModelError
from routr_cli.providers.base import Provider
from routr_cli.providers.config import ProviderConfig, load_provider_configs
from routr_cli.providers.http_provider import HttpChatProvider, Timeouts
from routr_cli.providers.retry import RetryPolicy


@dataclass(frozen=True)
class ResolvedModel:
    """A model name resolved to its provider. ``provider`` is ready to call."""

    name: str  # as the user wrote it: "openai/gpt-4.1"
    provider_name: str  # "openai"
    model_id: str  # the vendor's id: "gpt-4.1"
    simulated: bool
    provider: Provider = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        """The name as every output shows it: simulated models always say so."""
        from routr_cli.providers.sim.catalog import display_name

        return display_name(self.name, self.simulated)


def split_model_name(model_name: str) -> tuple[str, str]:
    """``"openrouter/a/b"`` -> ``("openrouter", "a/b")``; a bad shape is an ``UnknownModelError``."""
    provider, sep, model_id = model_name.strip().partition("/")
    if not sep or not provider or not model_id:
        hint = _priced_names_for(model_name.strip()) if not sep else []
        mean = f"did you mean {' or '.join(hint)}? " if hint else ""
        raise UnknownModelError(
            f"model '{model_name}' must be written provider/model, e.g. openai/gpt-4.1 "
            f"or sim/frontier: {mean}(see `routr models list`)"
        )
    return provider, model_id


def _priced_names_for(model_id: str) -> list[str]:
    """Catalog names whose vendor id is ``model_id`` ("gpt-4.1" -> "openai/gpt-4.1")."""
    from routr_cli.errors import RoutrError
    from routr_cli.providers.pricing import load_catalog

    if not model_id:
        return []
    try:
        names = load_catalog()
    except RoutrError:  # a broken catalog is reported by `routr models list`, not here
        return []
    return [name for name in names if name.partition("/")[2] == model_id][:3]


def known_providers() -> dict[str, ProviderConfig]:
    """Every configured provider (built-ins, routr.toml, env overrides), sorted by name."""
    return load_provider_configs()


def provider_config(provider_name: str) -> ProviderConfig:
    """The configuration for one provider; unknown names get a suggestion."""
    configs = known_providers()
    config = configs.get(provider_name)
    if config is None:
        close = difflib.get_close_matches(provider_name, list(configs), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UnknownModelError(
            f"unknown provider '{provider_name}': {hint}known providers: {', '.join(configs)} "
            "(add your own under [providers.NAME] in routr.toml)"
        )
    return config


def adapter_class(config: ProviderConfig) -> type[HttpChatProvider]:
    """The adapter for an API format (imported lazily: only the one in use is loaded)."""
    if config.format == "anthropic":
        from routr_cli.providers.anthropic import AnthropicProvider

        return AnthropicProvider
    if config.format == "gemini":
        from routr_cli.providers.gemini import GeminiProvider

        return GeminiProvider
    from routr_cli.providers.openai_compat import OpenAICompatProvider

    return OpenAICompatProvider


def resolve_model(
    model_name: str,
    client: httpx.Client,
    *,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = None,
) -> ResolvedModel:
    """Resolve ``provider/model`` to a ready provider sharing ``client``.

    Fails fast: an unknown provider raises ``UnknownModelError``; a provider whose key
    variable is unset raises ``MissingKeyError`` naming the variable. The key itself is read
    again at every call and is never stored on the returned objects.
    """
    provider_name, model_id = split_model_name(model_name)
    config = provider_config(provider_name)
    if config.simulated:  # a closed list (the sim data file): catch typos before any call
        from routr_cli.providers.sim.catalog import get_sim_model

        get_sim_model(model_id)
    config.api_key()  # raises MissingKeyError now rather than at the first call
    provider = adapter_class(config)(config, client, timeouts=timeouts, retry=retry)
    return ResolvedModel(
        name=f"{provider_name}/{model_id}",
        provider_name=provider_name,
        model_id=model_id,
        simulated=config.simulated,
        provider=provider,
    )


def get_provider(
    model_name: str,
    client: httpx.Client,
    *,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = None,
) -> tuple[Provider, str]:
    """``(provider, vendor model id)``: the short form of ``resolve_model``."""
    resolved = resolve_model(model_name, client, timeouts=timeouts, retry=retry)
    return resolved.provider, resolved.model_id
