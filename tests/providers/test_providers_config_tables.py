"""A routr.toml table Routr does not know is an error with a suggestion, never ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from routr_cli_runner import run_routr

from routr_cli.errors import ConfigError
from routr_cli.providers.registry import known_providers

ACME = 'format = "openai"\nbase_url = "http://127.0.0.1:9/v1"\n'


def test_a_typo_in_the_table_name_suggests_the_right_one(clean_env: Path) -> None:
    (clean_env / "routr.toml").write_text(f"[provider.acme]\n{ACME}", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        known_providers()
    assert (
        str(info.value)
        == "routr.toml: unknown table [provider.acme]: did you mean [providers.acme]?"
    )


def test_an_unrelated_table_says_what_routr_toml_holds(clean_env: Path) -> None:
    (clean_env / "routr.toml").write_text("[gateway]\nport = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown table \[gateway\]: routr.toml holds only"):
        known_providers()
    (clean_env / "routr.toml").write_text("timeout = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown table timeout"):
        known_providers()


def test_control_the_right_table_loads(clean_env: Path) -> None:
    (clean_env / "routr.toml").write_text(f"[providers.acme]\n{ACME}", encoding="utf-8")
    assert known_providers()["acme"].base_url == "http://127.0.0.1:9/v1"


def test_the_cli_says_it_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "routr.toml").write_text(f"[provider.acme]\n{ACME}", encoding="utf-8")
    result = run_routr("models", "providers", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "error: routr.toml: unknown table [provider.acme]: did you mean [providers.acme]?\n"
    )
