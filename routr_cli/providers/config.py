"""Provider configuration: built-in entries, the user's ``routr.toml``, environment overrides.

A provider is data, not a class: an API format, a base URL and the name of the variable that
holds its key. The built-ins live in ``routr_cli/data/providers.toml``; ``routr.toml`` (in the
current directory, or the file named by ``ROUTR_CONFIG``) adds or overrides entries under
``[providers.NAME]``; ``ROUTR_<NAME>_BASE_URL`` overrides one base URL (tests and the
simulated-model server use it). Keys are never part of the configuration: only the *name* of
the variable is, and the value is read from the environment at call time.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeGuard, cast
from urllib.parse import urlsplit

from routr_cli.errors import ConfigError, MissingKeyError
from routr_cli.paths import DATA_DIR

ApiFormat = Literal["openai", "anthropic", "gemini"]
API_FORMATS: tuple[ApiFormat, ...] = ("openai", "anthropic", "gemini")
BUILTIN_PROVIDERS_FILE = DATA_DIR / "providers.toml"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# What a key variable's name looks like. Checked so that a key pasted into ``key_env`` by
# mistake is refused -- without being echoed -- instead of being shown by `routr models
# providers` and quoted in "set ... in the environment" messages.
_ENV_NAME_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@dataclass(frozen=True)
class ProviderConfig:
    """One configured provider. Holds the key variable's *name*; the key itself never."""

    name: str
    format: ApiFormat
    base_url: str
    key_env: str = ""
    key_required: bool = True
    simulated: bool = False
    # OpenAI's own API wants "max_completion_tokens" (its reasoning models reject
    # "max_tokens"); most compatible servers still read "max_tokens".
    max_tokens_field: str = "max_tokens"
    # Data policy, as the provider declares it: ``zdr`` (zero data retention) or
    # ``data_collection = "deny"`` (requests are not used for training). `routr call --zdr`
    # only routes to providers declaring one of them.
    zdr: bool = False
    data_collection: str = "allow"
    source: str = "built-in"  # where the entry came from, for `routr models` and errors

    def api_key(self) -> str | None:
        """Read the key now (never cached). Raise if it is required and unset."""
        if not self.key_env:
            return None
        value = os.environ.get(self.key_env, "").strip()
        if value:
            return value
        if self.key_required:
            raise MissingKeyError(
                f"provider '{self.name}' needs an API key: set {self.key_env} in the environment"
            )
        return None


def config_file() -> Path | None:
    """The user's ``routr.toml``: ``ROUTR_CONFIG`` if set (it must exist), else ./routr.toml."""
    env = os.environ.get("ROUTR_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(
                f"ROUTR_CONFIG points at {path}, which is not a file: fix or unset it"
            )
        return path
    local = Path("routr.toml")
    return local if local.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}): fix the file") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path} ({exc.strerror}): check the path") from exc


def _is_plain_http_url(url: object) -> TypeGuard[str]:
    """An http(s) URL with a host and neither credentials nor a query string.

    ``base_url`` is shown by `routr models providers` and in reprs, so it must not carry a
    secret (``https://user:key@host``, ``?key=...``); keys belong in ``key_env``.
    """
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return False
    parts = urlsplit(url)
    return bool(parts.hostname) and "@" not in parts.netloc and not parts.query


def _entry(name: str, raw: object, where: str, base: ProviderConfig | None) -> ProviderConfig:
    """Build one entry; an override in routr.toml may give only the fields it changes."""
    if not _NAME_RE.match(name):
        raise ConfigError(
            f"{where}: provider name '{name}' must be lowercase letters, digits, '-' or '_'"
        )
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [providers.{name}] must be a table")
    allowed = {
        "format", "base_url", "key_env", "key_required", "simulated", "max_tokens_field",
        "zdr", "data_collection",
    }  # fmt: skip
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}: [providers.{name}] has unknown field '{unknown[0]}': "
            f"use {', '.join(sorted(allowed))}"
        )
    fmt = raw.get("format", base.format if base else None)
    if fmt not in API_FORMATS:
        raise ConfigError(
            f"{where}: [providers.{name}] format must be one of {', '.join(API_FORMATS)}"
        )
    base_url = raw.get("base_url", base.base_url if base else None)
    if not _is_plain_http_url(base_url):
        raise ConfigError(
            f"{where}: [providers.{name}] base_url must be an http(s) URL without credentials "
            "or query (keys go in key_env)"
        )
    key_env = raw.get("key_env", base.key_env if base else "")
    if not isinstance(key_env, str) or (key_env and not _ENV_NAME_RE.match(key_env)):
        raise ConfigError(
            f"{where}: [providers.{name}] key_env must name an environment variable "
            "(A-Z, 0-9, _; e.g. MYLAB_API_KEY), never hold the key itself"
        )
    key_required = raw.get("key_required", base.key_required if base else bool(key_env))
    simulated = raw.get("simulated", base.simulated if base else False)
    if not isinstance(key_required, bool) or not isinstance(simulated, bool):
        raise ConfigError(f"{where}: [providers.{name}] key_required/simulated must be booleans")
    max_tokens_field = raw.get("max_tokens_field", base.max_tokens_field if base else "max_tokens")
    if max_tokens_field not in ("max_tokens", "max_completion_tokens"):
        raise ConfigError(
            f"{where}: [providers.{name}] max_tokens_field must be max_tokens or "
            "max_completion_tokens"
        )
    zdr = raw.get("zdr", base.zdr if base else False)
    data_collection = raw.get("data_collection", base.data_collection if base else "allow")
    if not isinstance(zdr, bool) or data_collection not in ("allow", "deny"):
        raise ConfigError(
            f'{where}: [providers.{name}] zdr must be a boolean and data_collection "allow" '
            'or "deny"'
        )
    return ProviderConfig(
        name=name,
        format=cast(ApiFormat, fmt),
        base_url=base_url.rstrip("/"),
        key_env=key_env,
        key_required=key_required and bool(key_env),
        simulated=simulated,
        max_tokens_field=max_tokens_field,
        zdr=zdr,
        data_collection=data_collection,
        source=where,
    )


def _env_base_url(name: str) -> str | None:
    var = f"ROUTR_{name.upper().replace('-', '_')}_BASE_URL"
    value = os.environ.get(var, "").strip()
    if value and not _is_plain_http_url(value):  # the value is not echoed: it may hold a key
        raise ConfigError(
            f"{var} is not an http(s) URL without credentials or query: fix or unset it"
        )
    return value.rstrip("/") or None


KNOWN_TABLES = ("providers",)  # what routr.toml may hold at its top level


def _check_tables(document: dict[str, Any], path: Path) -> None:
    """A top-level table routr.toml does not know is an error with a suggestion.

    ``[provider.acme]`` (a typo) used to be ignored: the provider silently did not
    exist and the user was told it was unknown with no hint why.
    """
    import difflib

    for key, value in document.items():
        if key in KNOWN_TABLES:
            continue
        tables = (
            [k for k, v in value.items() if isinstance(v, dict)] if isinstance(value, dict) else []
        )
        sub = tables[0] if tables else None
        shown = f"[{key}.{sub}]" if sub else f"[{key}]" if isinstance(value, dict) else key
        close = difflib.get_close_matches(key, KNOWN_TABLES, n=1, cutoff=0.6)
        if close:
            wanted = f"[{close[0]}.{sub}]" if sub else f"[{close[0]}.NAME]"
            hint = f"did you mean {wanted}?"
        else:
            hint = "routr.toml holds only [providers.NAME] tables"
        raise ConfigError(f"{path}: unknown table {shown}: {hint}")


def load_provider_configs() -> dict[str, ProviderConfig]:
    """Built-ins, then routr.toml, then ``ROUTR_<NAME>_BASE_URL``; sorted by name."""
    configs: dict[str, ProviderConfig] = {}
    for name, raw in _read_toml(BUILTIN_PROVIDERS_FILE).items():
        configs[name] = _entry(name, raw, "built-in", None)
    user_file = config_file()
    if user_file is not None:
        document = _read_toml(user_file)
        _check_tables(document, user_file)
        section = document.get("providers", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{user_file}: [providers] must be a table of [providers.NAME]")
        for name, raw in section.items():
            configs[name] = _entry(name, raw, str(user_file), configs.get(name))
    for name, cfg in list(configs.items()):
        override = _env_base_url(name)
        if override:
            configs[name] = dataclasses.replace(cfg, base_url=override)
    return dict(sorted(configs.items()))
