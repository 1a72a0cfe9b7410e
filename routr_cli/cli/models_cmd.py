"""`routr models`: commands parse, call the package, render; no logic lives here.

Prices are USD per 1M tokens, each with the date and source it was taken from. Simulated
models are always shown with "(simulated)". Data goes to stdout (a table, or JSON with
``--json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from routr_cli.providers.pricing import Price

app = typer.Typer(no_args_is_help=True)

JSON_HELP = "Print JSON instead of a table."


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _price_json(price: Price) -> dict[str, Any]:
    from routr_cli.providers.sim.catalog import display_name

    return {
        "model": price.model,
        "label": display_name(price.model, price.simulated),
        "provider": price.provider,
        "simulated": price.simulated,
        "input_per_mtok": price.input_per_mtok,
        "output_per_mtok": price.output_per_mtok,
        "cached_input_per_mtok": price.cached_input_per_mtok,
        "cache_write_per_mtok": price.cache_write_per_mtok,
        "context_window": price.context_window,
        "as_of": price.as_of or None,
        "source": price.source,
        "origin": price.origin,
    }


@app.command("list")
def list_models(
    provider: str | None = typer.Option(None, "--provider", help="Only this provider's models."),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Every priced model: prices per 1M tokens, context window, as-of date, simulated flag."""
    from routr_cli.providers.pricing import load_catalog
    from routr_cli.providers.registry import provider_config
    from routr_cli.providers.sim.catalog import display_name

    prices = [p for p in load_catalog().values() if provider is None or p.provider == provider]
    if provider is not None and not prices:
        provider_config(provider)  # a typo gets the known providers and a "did you mean"
    if as_json:
        typer.echo(json.dumps([_price_json(p) for p in prices], indent=2))
        return
    from routr_cli.cli.render import Col, data_console, plural, print_table

    columns = [
        Col("model", 0),
        Col("provider", 5),
        Col("input", 0, "right"),
        Col("output", 0, "right"),
        Col("cached in", 3, "right"),
        Col("cache write", 4, "right"),
        Col("context", 2, "right"),
        Col("as of", 1),
    ]
    rows = [
        [
            display_name(p.model, p.simulated),
            p.provider,
            _money(p.input_per_mtok),
            _money(p.output_per_mtok),
            _money(p.cached_input_per_mtok),
            _money(p.cache_write_per_mtok),
            "-" if p.context_window is None else f"{p.context_window:,}",
            p.as_of or ("invented" if p.simulated else "-"),
        ]
        for p in prices
    ]
    title = f"{plural(len(prices), 'model')} (USD per 1M tokens)"
    print_table(data_console(), columns, rows, title=title)


@app.command("providers")
def list_providers(as_json: bool = typer.Option(False, "--json", help=JSON_HELP)) -> None:
    """Configured providers: format, base URL, key variable and whether it is set (never its value)."""
    import os

    from routr_cli.providers.registry import known_providers
    from routr_cli.providers.sim.catalog import display_name

    rows = [
        {
            "provider": c.name,
            "format": c.format,
            "base_url": c.base_url,
            "key_env": c.key_env or None,
            "key_set": bool(c.key_env and os.environ.get(c.key_env, "").strip()),
            "key_required": c.key_required,
            "simulated": c.simulated,
            "source": c.source,
        }
        for c in known_providers().values()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from routr_cli.cli.render import Col, data_console, plural, print_table

    columns = [Col("provider", 0), Col("format", 2), Col("base url", 3), Col("key variable", 1),
               Col("key", 0)]  # fmt: skip
    table = []
    for row in rows:
        key = "set" if row["key_set"] else ("missing" if row["key_required"] else "not needed")
        name = display_name(str(row["provider"]), row["simulated"] is True)
        table.append(
            [name, str(row["format"]), str(row["base_url"]), str(row["key_env"] or "-"), key]
        )
    print_table(data_console(), columns, table, title=plural(len(rows), "provider"))


@app.command("refresh")
def refresh(
    source: Path = typer.Option(
        ...,
        "--from",
        help="A saved copy of https://openrouter.ai/api/v1/models (JSON).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Catalog to merge into (default: $ROUTR_PRICING or ./routr-pricing.json).",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date the list was fetched, YYYY-MM-DD (default: today, UTC)."
    ),
) -> None:
    """Import OpenRouter's prices as openrouter/<id> into the user catalog (overrides built-ins)."""
    import datetime as dt

    from routr_cli.errors import ConfigError
    from routr_cli.providers.openrouter_catalog import refresh_from_openrouter
    from routr_cli.providers.pricing import user_catalog_path

    if as_of is None:
        as_of = dt.datetime.now(dt.UTC).date().isoformat()
    else:
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise ConfigError(f"--as-of {as_of!r} is not a date: use YYYY-MM-DD") from None
    result = refresh_from_openrouter(source, out or user_catalog_path(), as_of)
    typer.echo(
        f"{result.out}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.skipped} skipped (no fixed price)"
    )
