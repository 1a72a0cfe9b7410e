"""What routing reads from configuration: providers' data policy and the catalog facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from routr_cli.errors import ConfigError
from routr_cli.providers.config import load_provider_configs
from routr_cli.router.session import parse_max_price
from routr_cli.router.table import model_infos


def test_data_policy_comes_from_routr_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "routr.toml"
    config.write_text(
        '[providers.mycorp]\nformat = "openai"\nbase_url = "https://llm.example/v1"\n'
        'zdr = true\n\n[providers.openai]\ndata_collection = "deny"\n'
    )
    monkeypatch.setenv("ROUTR_CONFIG", str(config))
    configs = load_provider_configs()
    assert configs["mycorp"].zdr and not configs["openai"].zdr
    assert configs["openai"].data_collection == "deny"
    assert configs["sim"].zdr  # the simulated models keep nothing
    infos = model_infos(["openai/gpt-4.1", "mycorp/coder", "sim/swift", "nobody/x"])
    assert infos["openai/gpt-4.1"].data_collection == "deny"
    assert infos["openai/gpt-4.1"].context_window and infos["openai/gpt-4.1"].input_per_mtok
    assert infos["mycorp/coder"].zdr and infos["mycorp/coder"].input_per_mtok is None
    assert infos["sim/swift"].simulated and infos["sim/swift"].capabilities == frozenset(
        {"streaming"}
    )
    assert infos["nobody/x"].capabilities is None and not infos["nobody/x"].zdr
    config.write_text('[providers.openai]\ndata_collection = "maybe"\n')
    with pytest.raises(ConfigError, match="data_collection"):
        load_provider_configs()


def test_max_price_parsing() -> None:
    assert parse_max_price(None) == (None, None)
    assert parse_max_price("2") == (2.0, 2.0)
    assert parse_max_price("0.5, 4") == (0.5, 4.0)
    for bad in ("cheap", "1,2,3", "-1", ""):
        with pytest.raises(ConfigError, match="--max-price"):
            parse_max_price(bad)
