"""The pricing catalog: what a model costs per million tokens, where that figure came from.

Three layers, later ones overriding earlier ones:

1. built-in prices, ``routr_cli/data/pricing.json`` (hand-transcribed, each with ``as_of`` and
   ``source``);
2. the simulated models' invented prices, read from ``routr_cli/providers/sim/models.toml``
   (absent file: no simulated prices);
3. the user's catalog, ``ROUTR_PRICING`` or ``./routr-pricing.json`` (same schema), which
   ``routr models refresh`` writes.

``price_for`` and ``cost_usd`` return ``None`` for a model nobody priced: a cost is never
invented. Usage follows the OpenAI convention (``input_tokens`` includes cached and cache-write
tokens), so ``cost = (input - cached - written) * input + cached * cached_input + written *
cache_write + output * output``; a vendor with no separate cache rate bills those tokens as
ordinary input, which is what a missing rate means here.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError
from routr_cli.paths import DATA_DIR, PACKAGE_DIR
from routr_cli.providers.base import Usage

BUILTIN_PRICING_FILE = DATA_DIR / "pricing.json"
SIM_MODELS_FILE = PACKAGE_DIR / "providers" / "sim" / "models.toml"
SIM_SOURCE = "routr_cli/providers/sim/models.toml (invented for the simulation)"
CATALOG_FORMAT = 1


@dataclass(frozen=True)
class Price:
    """USD per 1M tokens for one model, with its provenance."""

    model: str
    input_per_mtok: float
    output_per_mtok: float
    cached_input_per_mtok: float | None = None
    cache_write_per_mtok: float | None = None
    context_window: int | None = None
    as_of: str = ""
    source: str = ""
    note: str = ""
    simulated: bool = False
    origin: str = "built-in"  # "built-in", "sim", or the user catalog's path

    @property
    def provider(self) -> str:
        return self.model.partition("/")[0]

    def to_json(self) -> dict[str, Any]:
        """The entry as the catalog files store it (no ``model``/``origin``: those are keys)."""
        entry: dict[str, Any] = {
            "input": self.input_per_mtok,
            "output": self.output_per_mtok,
            "cached_input": self.cached_input_per_mtok,
            "cache_write": self.cache_write_per_mtok,
            "context_window": self.context_window,
            "as_of": self.as_of,
            "source": self.source,
        }
        if self.note:
            entry["note"] = self.note
        return entry


def user_catalog_path() -> Path:
    """Where user prices live and ``routr models refresh`` writes by default."""
    return Path(os.environ.get("ROUTR_PRICING", "routr-pricing.json"))


def _rate(where: str, entry: dict[str, Any], key: str, required: bool) -> float | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where}: '{key}' must be a number of USD per 1M tokens")
    if value < 0:
        raise ConfigError(f"{where}: '{key}' must not be negative")
    return float(value)


def price_from_entry(model: str, entry: object, origin: str) -> Price:
    """Validate one catalog entry (``{"input", "output", ...}``)."""
    where = f"{origin}: model '{model}'"
    if "/" not in model:
        raise ConfigError(f"{where}: model names are provider/model")
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: entry must be an object")
    window = entry.get("context_window")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)):
        raise ConfigError(f"{where}: 'context_window' must be an integer number of tokens")
    input_rate = _rate(where, entry, "input", True)
    output_rate = _rate(where, entry, "output", True)
    assert input_rate is not None and output_rate is not None
    return Price(
        model=model,
        input_per_mtok=input_rate,
        output_per_mtok=output_rate,
        cached_input_per_mtok=_rate(where, entry, "cached_input", False),
        cache_write_per_mtok=_rate(where, entry, "cache_write", False),
        context_window=window,
        as_of=str(entry.get("as_of", "")),
        source=str(entry.get("source", "")),
        note=str(entry.get("note", "")),
        simulated=model.startswith("sim/"),
        origin=origin,
    )


def read_catalog_file(path: Path, origin: str | None = None) -> dict[str, Price]:
    """One JSON catalog (``{"format": 1, "models": {name: entry}}``)."""
    origin = origin or str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"cannot read pricing catalog {path} ({exc.strerror}): check the path"
        ) from exc
    except ValueError as exc:
        raise ConfigError(
            f"pricing catalog {path} is not valid JSON ({exc}): fix or delete it"
        ) from exc
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, dict):
        raise ConfigError(f'pricing catalog {path} needs a top-level "models" object')
    version = data.get("format", CATALOG_FORMAT)  # absent: a hand-written format-1 file
    if version != CATALOG_FORMAT or isinstance(version, bool):
        raise ConfigError(
            f"pricing catalog {path} is format {version!r}; this Routr reads format "
            f"{CATALOG_FORMAT}: upgrade Routr or write the file again in format {CATALOG_FORMAT}"
        )
    return {name: price_from_entry(name, entry, origin) for name, entry in models.items()}


def read_sim_prices(path: Path = SIM_MODELS_FILE) -> dict[str, Price]:
    """Prices of the simulated models, from the sim catalog's own (validated) reading of its
    data file -- one parser for one file; {} when the file does not exist."""
    if not path.is_file():
        return {}
    from routr_cli.providers.sim.catalog import load_sim_models

    return {
        name: price_from_entry(
            name,
            {
                "input": model.input_usd_per_mtok,
                "output": model.output_usd_per_mtok,
                "cached_input": model.cached_input_usd_per_mtok,
                "context_window": model.context_window,
                "source": SIM_SOURCE,
                "note": model.description,
            },
            "sim",
        )
        for name, model in load_sim_models(path).items()
    }


_cache_lock = threading.Lock()
_cache: dict[tuple[tuple[str, float], ...], dict[str, Price]] = {}


def _stamp(path: Path) -> tuple[str, float]:
    try:
        return str(path.resolve()), path.stat().st_mtime
    except OSError:
        return str(path), -1.0


def load_catalog(user_catalog: Path | None = None) -> dict[str, Price]:
    """Every known price, sorted by model name; user entries override built-ins.

    Re-read only when one of the files changes (keyed on path and mtime), so per-attempt
    ``cost_usd`` calls from many threads stay cheap.
    """
    user = user_catalog or user_catalog_path()
    key = (_stamp(BUILTIN_PRICING_FILE), _stamp(SIM_MODELS_FILE), _stamp(user))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    catalog = read_catalog_file(BUILTIN_PRICING_FILE, "built-in")
    catalog.update(read_sim_prices())
    if user.is_file():
        catalog.update(read_catalog_file(user))
    result = dict(sorted(catalog.items()))
    with _cache_lock:
        _cache.clear()
        _cache[key] = result
    return result


def price_for(model_name: str) -> Price | None:
    """The price of ``provider/model``, or None when no catalog lists it."""
    return load_catalog().get(model_name.strip())


def cost_from_price(price: Price, usage: Usage) -> float:
    """USD for ``usage`` at ``price`` (see the module docstring for the formula)."""
    cached = usage.cached_input_tokens
    written = usage.cache_write_tokens
    plain_input = max(0, usage.input_tokens - cached - written)
    cached_rate = price.cached_input_per_mtok
    write_rate = price.cache_write_per_mtok
    total = (
        plain_input * price.input_per_mtok
        + cached * (price.input_per_mtok if cached_rate is None else cached_rate)
        + written * (price.input_per_mtok if write_rate is None else write_rate)
        + usage.output_tokens * price.output_per_mtok
    )
    return total / 1_000_000


def cost_usd(model_name: str, usage: Usage) -> float | None:
    """USD for one call's usage, or None when the model's price is unknown."""
    price = price_for(model_name)
    return None if price is None else cost_from_price(price, usage)


def write_catalog_file(path: Path, prices: dict[str, Price], note: str) -> None:
    """Write a catalog deterministically (sorted keys, no timestamps beyond ``as_of``)."""
    doc = {
        "format": CATALOG_FORMAT,
        "note": note,
        "models": {name: prices[name].to_json() for name in sorted(prices)},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
