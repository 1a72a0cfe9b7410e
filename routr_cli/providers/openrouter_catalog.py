"""Import prices from OpenRouter's public models list into the user's pricing catalog.

The input is the JSON of ``GET https://openrouter.ai/api/v1/models`` saved to a file:
``{"data": [{"id", "name", "context_length", "pricing": {"prompt", "completion",
"input_cache_read", "input_cache_write", ...}}]}`` where prices are USD *per token* as decimal
strings. Each model becomes ``openrouter/<id>`` at USD per 1M tokens. Entries with a negative
price (OpenRouter's "-1" for router models whose price varies) or without prompt/completion
prices are skipped and counted, never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from routr_cli.errors import ConfigError
from routr_cli.providers.pricing import Price, read_catalog_file, write_catalog_file

OPENROUTER_MODELS_URL = "https://openrouter.ai/api/v1/models"
USER_CATALOG_NOTE = (
    "USD per 1M tokens. User catalog: entries here override Routr's built-in prices. "
    "openrouter/* entries are imported by `routr models refresh` from OpenRouter's models list."
)


@dataclass(frozen=True)
class RefreshResult:
    added: int
    updated: int
    unchanged: int
    skipped: int
    out: Path


def _per_mtok(value: object) -> float | None:
    """``"0.000003"`` USD/token -> 3.0 USD/1M tokens; None when absent, unreadable or negative."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return float((number * 1_000_000).normalize())


def prices_from_openrouter(doc: object, as_of: str) -> tuple[dict[str, Price], int]:
    """Convert an OpenRouter models document; returns (prices, number skipped)."""
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        raise ConfigError(
            'not an OpenRouter models list: expected {"data": [...]} as served by '
            f"{OPENROUTER_MODELS_URL}"
        )
    prices: dict[str, Price] = {}
    skipped = 0
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            skipped += 1
            continue
        raw_pricing = item.get("pricing")
        pricing = raw_pricing if isinstance(raw_pricing, dict) else {}
        prompt, completion = _per_mtok(pricing.get("prompt")), _per_mtok(pricing.get("completion"))
        if prompt is None or completion is None:
            skipped += 1
            continue
        window = item.get("context_length")
        name = f"openrouter/{item['id']}"
        prices[name] = Price(
            model=name,
            input_per_mtok=prompt,
            output_per_mtok=completion,
            cached_input_per_mtok=_per_mtok(pricing.get("input_cache_read")),
            cache_write_per_mtok=_per_mtok(pricing.get("input_cache_write")),
            context_window=window if isinstance(window, int) and window > 0 else None,
            as_of=as_of,
            source=OPENROUTER_MODELS_URL,
            note=str(item.get("name", "")),
        )
    return prices, skipped


def _rates(price: Price) -> tuple[object, ...]:
    return (
        price.input_per_mtok,
        price.output_per_mtok,
        price.cached_input_per_mtok,
        price.cache_write_per_mtok,
        price.context_window,
    )


def refresh_from_openrouter(source: Path, out: Path, as_of: str) -> RefreshResult:
    """Merge the prices in ``source`` into the catalog at ``out`` (created if missing)."""
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {source} ({exc.strerror}): check the --from path") from exc
    except ValueError as exc:
        raise ConfigError(
            f"{source} is not valid JSON ({exc}): save the models list again"
        ) from exc
    imported, skipped = prices_from_openrouter(doc, as_of)
    existing = read_catalog_file(out) if out.is_file() else {}
    added = updated = unchanged = 0
    for name, price in imported.items():
        old = existing.get(name)
        if old is None:
            added += 1
        elif _rates(old) == _rates(price):
            unchanged += 1  # same figures, re-confirmed: the newer as_of is kept
        else:
            updated += 1
        existing[name] = price
    write_catalog_file(out, existing, USER_CATALOG_NOTE)
    return RefreshResult(added, updated, unchanged, skipped, out)
