"""The pricing catalog, cost arithmetic, OpenRouter import and `routr models`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from routr_cli.cli.main import app
from routr_cli.errors import ConfigError
from routr_cli.providers.base import Usage
from routr_cli.providers.openrouter_catalog import refresh_from_openrouter
from routr_cli.providers.pricing import (
    SIM_MODELS_FILE,
    Price,
    cost_from_price,
    cost_usd,
    load_catalog,
    price_for,
    read_sim_prices,
)

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "openrouter_models_sample.json"
runner = CliRunner()


def test_builtin_prices_are_sourced_and_dated() -> None:
    catalog = load_catalog()
    real = [p for p in catalog.values() if not p.simulated]
    assert len(real) >= 30
    providers = {p.provider for p in real}
    assert {"openai", "anthropic", "gemini", "deepseek", "mistral", "xai"} <= providers
    assert {"openrouter", "together", "groq"} <= providers
    for price in real:
        assert price.source.startswith("https://"), price.model
        assert len(price.as_of) == 10, price.model
        assert price.output_per_mtok >= price.input_per_mtok > 0, price.model
        assert price.cached_input_per_mtok is None or (
            price.cached_input_per_mtok < price.input_per_mtok
        ), price.model


def test_price_for_unknown_is_none_never_invented() -> None:
    assert price_for("openai/gpt-4.1") is not None
    assert price_for("openai/no-such-model") is None
    assert cost_usd("openai/no-such-model", Usage(input_tokens=10)) is None


def test_cost_arithmetic_with_cache_reads_and_writes() -> None:
    price = Price("x/y", input_per_mtok=3.0, output_per_mtok=15.0,
                  cached_input_per_mtok=0.3, cache_write_per_mtok=3.75)  # fmt: skip
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000,
                  cached_input_tokens=400_000, cache_write_tokens=100_000)  # fmt: skip
    # 500k plain input * 3 + 400k cached * 0.3 + 100k written * 3.75 + 100k out * 15, per 1M
    assert cost_from_price(price, usage) == pytest.approx(1.5 + 0.12 + 0.375 + 1.5)


def test_missing_cache_rates_bill_cached_tokens_as_input() -> None:
    price = Price("x/y", input_per_mtok=2.0, output_per_mtok=6.0)
    usage = Usage(input_tokens=1000, output_tokens=500, cached_input_tokens=600)
    assert cost_from_price(price, usage) == pytest.approx((1000 * 2.0 + 500 * 6.0) / 1e6)


def test_cost_usd_for_a_builtin_model() -> None:
    usage = Usage(input_tokens=2_000_000, output_tokens=1_000_000, cached_input_tokens=1_000_000)
    assert cost_usd("openai/gpt-4.1", usage) == pytest.approx(2.0 + 0.5 + 8.0)


def test_simulated_models_come_from_the_sim_data_file() -> None:
    assert SIM_MODELS_FILE.is_file()
    sim = read_sim_prices()
    assert sim and all(p.simulated and p.model.startswith("sim/") for p in sim.values())
    for name, price in sim.items():
        assert price_for(name) == price and price.source.startswith("routr_cli/providers/sim")
    assert read_sim_prices(Path("/nonexistent/models.toml")) == {}


def test_sim_file_format_is_read(tmp_path: Path) -> None:
    models = tmp_path / "models.toml"
    models.write_text(
        '[models."sim/demo"]\ncontext_window = 64000\ndescription = "demo"\n'
        "ttft_s = 0.1\ntokens_per_second = 50.0\nrepair_bonus = 0.1\n"
        "price = { input = 1.5, output = 6.0, cached_input = 0.15 }\n"
        "errors = { rate_limited = 0.0, retry_after_s = 1.0, server_error = 0.0 }\n"
        "difficulty = { easy = 1.0 }\nskill = { default = 0.5 }\nmistakes = { partial = 1 }\n",
        encoding="utf-8",
    )
    price = read_sim_prices(models)["sim/demo"]
    assert (price.input_per_mtok, price.output_per_mtok, price.cached_input_per_mtok) == (
        1.5, 6.0, 0.15,
    )  # fmt: skip
    assert price.context_window == 64000 and price.simulated and price.as_of == ""


def test_refresh_converts_per_token_strings_and_skips_variable_prices(tmp_path: Path) -> None:
    out = tmp_path / "user-pricing.json"
    result = refresh_from_openrouter(SAMPLE, out, "2026-11-22")
    assert (result.added, result.updated, result.unchanged, result.skipped) == (3, 0, 0, 1)
    stored = json.loads(out.read_text())["models"]
    sonnet = stored["openrouter/anthropic/claude-sonnet-4"]
    assert (sonnet["input"], sonnet["output"]) == (3.0, 15.0)
    assert (sonnet["cached_input"], sonnet["cache_write"]) == (0.3, 3.75)
    assert sonnet["context_window"] == 1_000_000 and sonnet["as_of"] == "2026-11-22"
    assert sonnet["source"] == "https://openrouter.ai/api/v1/models"
    assert stored["openrouter/qwen/qwen3-coder"]["cached_input"] is None
    assert stored["openrouter/meta-llama/llama-3.3-70b-instruct:free"]["input"] == 0.0
    assert "openrouter/openrouter/auto" not in stored
    again = refresh_from_openrouter(SAMPLE, out, "2026-11-23")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert out.read_text() == out.read_text().strip() + "\n"


def test_user_catalog_overrides_builtins(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin = price_for("openrouter/anthropic/claude-sonnet-4")
    assert builtin is not None and builtin.origin == "built-in"
    refresh_from_openrouter(SAMPLE, clean_env / "routr-pricing.json", "2026-11-22")
    refreshed = price_for("openrouter/anthropic/claude-sonnet-4")
    assert refreshed is not None and refreshed.context_window == 1_000_000
    assert refreshed.as_of == "2026-11-22"
    custom = clean_env / "custom.json"
    custom.write_text(json.dumps({"models": {"openai/gpt-4.1": {"input": 1.0, "output": 2.0}}}))
    monkeypatch.setenv("ROUTR_PRICING", str(custom))
    gpt = price_for("openai/gpt-4.1")
    assert gpt is not None and gpt.input_per_mtok == 1.0 and gpt.origin == str(custom)


@pytest.mark.parametrize(
    "models",
    [{"a/b": {"input": "cheap", "output": 1}}, {"a/b": {"output": 1}}, {"nomodel": {}}],
)
def test_bad_user_catalog_is_a_config_error(clean_env: Path, models: object) -> None:
    (clean_env / "routr-pricing.json").write_text(json.dumps({"models": models}))
    with pytest.raises(ConfigError):
        load_catalog()


@pytest.mark.parametrize("version", [2, "1", True])
def test_a_catalog_in_another_format_is_refused_not_misread(
    clean_env: Path, version: object
) -> None:
    catalog = clean_env / "routr-pricing.json"
    entry = {"input": 1.0, "output": 2.0}
    catalog.write_text(json.dumps({"format": version, "models": {"openai/x": entry}}))
    with pytest.raises(ConfigError, match=r"this Routr reads format 1: upgrade Routr") as err:
        load_catalog()
    assert "\n" not in str(err.value)
    catalog.write_text(json.dumps({"models": {"openai/x": entry}}))  # no field: format 1
    assert load_catalog()["openai/x"].input_per_mtok == 1.0


def test_refresh_rejects_a_file_that_is_not_a_models_list(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"models": []}')
    with pytest.raises(ConfigError, match="not an OpenRouter models list"):
        refresh_from_openrouter(bad, tmp_path / "out.json", "2026-11-22")


def test_cli_models_list_json_and_table(clean_env: Path) -> None:
    result = runner.invoke(app, ["models", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    gpt = next(r for r in rows if r["model"] == "openai/gpt-4.1")
    assert gpt["input_per_mtok"] == 2.0 and gpt["as_of"] and not gpt["simulated"]
    for row in rows:
        assert row["simulated"] == row["model"].startswith("sim/")
        assert row["label"].endswith("(simulated)") == row["simulated"]
    table = runner.invoke(app, ["models", "list", "--provider", "sim"])
    assert table.exit_code == 0
    sims = [r for r in rows if r["simulated"]]
    for row in sims:
        assert f"{row['model']} (simulated)" in table.stdout


def test_cli_refresh_then_list(clean_env: Path) -> None:
    result = runner.invoke(
        app, ["models", "refresh", "--from", str(SAMPLE), "--as-of", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    assert "3 added" in result.stdout and "1 skipped" in result.stdout
    assert (clean_env / "routr-pricing.json").is_file()
    listed = runner.invoke(app, ["models", "list", "--json", "--provider", "openrouter"])
    qwen = next(r for r in json.loads(listed.stdout) if r["model"] == "openrouter/qwen/qwen3-coder")
    assert qwen["as_of"] == "2026-11-01" and qwen["input_per_mtok"] == 0.2


def test_cli_refresh_bad_date_is_one_line(clean_env: Path) -> None:
    result = runner.invoke(
        app, ["models", "refresh", "--from", str(SAMPLE), "--as-of", "yesterday"]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError)
    assert "YYYY-MM-DD" in str(result.exception)


def test_cli_providers_never_prints_keys(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from provider_test_settings import FAKE_KEY

    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    result = runner.invoke(app, ["models", "providers", "--json"])
    assert result.exit_code == 0
    assert FAKE_KEY not in result.stdout
    rows = {r["provider"]: r for r in json.loads(result.stdout)}
    assert rows["openai"]["key_set"] and not rows["anthropic"]["key_set"]
    assert rows["sim"]["simulated"]
    table = runner.invoke(app, ["models", "providers"])
    assert table.exit_code == 0 and FAKE_KEY not in table.stdout
    assert "sim (simulated)" in table.stdout and "openai (simulated)" not in table.stdout


def test_cli_list_for_a_misspelt_provider_suggests_the_nearest(clean_env: Path) -> None:
    from routr_cli.errors import UnknownModelError

    result = runner.invoke(app, ["models", "list", "--provider", "opnai"])
    assert result.exit_code != 0
    assert isinstance(result.exception, UnknownModelError)
    message = str(result.exception)
    assert "did you mean 'openai'" in message and "\n" not in message
    known_but_unpriced = runner.invoke(app, ["models", "list", "--json", "--provider", "ollama"])
    assert known_but_unpriced.exit_code == 0 and json.loads(known_but_unpriced.stdout) == []
