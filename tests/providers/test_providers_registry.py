"""Model names, provider configuration (built-ins, routr.toml, env) and key handling."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from provider_test_settings import FAKE_KEY

from routr_cli.errors import ConfigError, MissingKeyError, UnknownModelError
from routr_cli.providers.anthropic import AnthropicProvider
from routr_cli.providers.gemini import GeminiProvider
from routr_cli.providers.openai_compat import OpenAICompatProvider
from routr_cli.providers.registry import (
    get_provider,
    known_providers,
    resolve_model,
    split_model_name,
)

OPENAI_COMPATIBLE = ["openai", "openrouter", "together", "groq", "deepseek", "mistral",
                     "fireworks", "xai", "ollama", "vllm", "lmstudio", "sim"]  # fmt: skip


def test_everything_after_the_first_slash_is_the_vendor_id() -> None:
    assert split_model_name("openrouter/anthropic/claude-sonnet-4") == (
        "openrouter",
        "anthropic/claude-sonnet-4",
    )
    assert split_model_name("openai/gpt-4.1") == ("openai", "gpt-4.1")


@pytest.mark.parametrize("bad", ["gpt-4.1", "openai/", "/gpt-4.1", ""])
def test_a_name_without_provider_and_model_shows_the_form(bad: str) -> None:
    with pytest.raises(UnknownModelError, match=r"provider/model, e\.g\. openai/gpt-4\.1"):
        split_model_name(bad)


def test_a_bare_vendor_id_suggests_the_priced_full_names() -> None:
    with pytest.raises(UnknownModelError, match=r"did you mean openai/gpt-4\.1\?") as info:
        split_model_name("gpt-4.1")
    assert "\n" not in str(info.value)
    with pytest.raises(UnknownModelError, match=r"did you mean sim/frontier\?"):
        split_model_name("frontier")


def test_builtin_providers() -> None:
    providers = known_providers()
    for name in OPENAI_COMPATIBLE:
        assert providers[name].format == "openai", name
    assert providers["anthropic"].format == "anthropic"
    assert providers["gemini"].format == "gemini"
    assert providers["gemini"].key_env == "GEMINI_API_KEY"
    assert providers["ollama"].base_url == "http://localhost:11434/v1"
    assert providers["vllm"].base_url == "http://localhost:8000/v1"
    assert providers["lmstudio"].base_url == "http://localhost:1234/v1"
    assert not providers["ollama"].key_required
    sim = providers["sim"]
    assert sim.simulated and not sim.key_required and sim.base_url == "http://127.0.0.1:8765/v1"
    assert [n for n, c in providers.items() if c.simulated] == ["sim"]


def test_adapter_follows_the_format(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.setenv(var, FAKE_KEY)
    with httpx.Client() as client:
        for name, cls in (
            ("openai/gpt-4.1", OpenAICompatProvider),
            ("anthropic/claude-haiku-4-5", AnthropicProvider),
            ("gemini/gemini-2.5-pro", GeminiProvider),
            ("ollama/qwen2.5-coder:7b", OpenAICompatProvider),
        ):
            provider, model_id = get_provider(name, client)
            assert isinstance(provider, cls) and model_id == name.partition("/")[2]


def test_unknown_provider_suggests_the_nearest() -> None:
    with httpx.Client() as client, pytest.raises(UnknownModelError) as info:
        resolve_model("opanai/gpt-4.1", client)
    message = str(info.value)
    assert "did you mean 'openai'?" in message
    assert "anthropic" in message and "routr.toml" in message


def test_missing_key_names_the_variable() -> None:
    with httpx.Client() as client, pytest.raises(MissingKeyError, match="set OPENAI_API_KEY"):
        resolve_model("openai/gpt-4.1", client)


def test_local_servers_and_sim_need_no_key() -> None:
    with httpx.Client() as client:
        assert resolve_model("ollama/llama3.1", client).provider_name == "ollama"
        sim = resolve_model("sim/frontier", client)
    assert sim.simulated and sim.model_id == "frontier" and sim.label == "sim/frontier (simulated)"


def test_a_misspelt_simulated_model_fails_before_any_call() -> None:
    with httpx.Client() as client, pytest.raises(UnknownModelError) as info:
        resolve_model("sim/fronteir", client)
    assert "did you mean 'sim/frontier'?" in str(info.value)


def test_a_routr_toml_provider_marked_simulated_is_checked_and_labelled(clean_env: Path) -> None:
    (clean_env / "routr.toml").write_text(
        '[providers.labsim]\nformat = "openai"\nbase_url = "http://127.0.0.1:9/v1"\n'
        "simulated = true\n",
        encoding="utf-8",
    )
    with httpx.Client() as client:
        resolved = resolve_model("labsim/frontier", client)
        assert resolved.simulated and resolved.label == "labsim/frontier (simulated)"
        with pytest.raises(UnknownModelError, match="did you mean 'sim/frontier'"):
            resolve_model("labsim/fronteir", client)


def test_env_overrides_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTR_SIM_BASE_URL", "http://127.0.0.1:9999/v1/")
    assert known_providers()["sim"].base_url == "http://127.0.0.1:9999/v1"
    monkeypatch.setenv("ROUTR_SIM_BASE_URL", "localhost:9999")
    with pytest.raises(ConfigError, match="ROUTR_SIM_BASE_URL"):
        known_providers()
    for leaky in (f"https://user:{FAKE_KEY}@proxy.example/v1", f"https://a/v1?key={FAKE_KEY}"):
        monkeypatch.setenv("ROUTR_SIM_BASE_URL", leaky)
        with pytest.raises(ConfigError, match="without credentials or query") as info:
            known_providers()
        assert FAKE_KEY not in str(info.value)


def test_routr_toml_adds_and_overrides_providers(clean_env: Path) -> None:
    (clean_env / "routr.toml").write_text(
        '[providers.mycorp]\nformat = "anthropic"\nbase_url = "https://llm.mycorp.example/v1"\n'
        'key_env = "MYCORP_KEY"\n\n'
        '[providers.openai]\nbase_url = "https://proxy.example/v1"\n',
        encoding="utf-8",
    )
    providers = known_providers()
    assert providers["mycorp"].format == "anthropic"
    assert providers["mycorp"].key_env == "MYCORP_KEY" and providers["mycorp"].key_required
    assert providers["openai"].base_url == "https://proxy.example/v1"
    assert providers["openai"].key_env == "OPENAI_API_KEY"  # unchanged fields are kept
    with httpx.Client() as client, pytest.raises(MissingKeyError, match="set MYCORP_KEY"):
        resolve_model("mycorp/big-model", client)


def test_routr_config_env_points_at_another_file(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = clean_env / "elsewhere.toml"
    config.write_text('[providers.lab]\nformat = "openai"\nbase_url = "http://10.0.0.5/v1"\n')
    monkeypatch.setenv("ROUTR_CONFIG", str(config))
    lab = known_providers()["lab"]
    assert lab.base_url == "http://10.0.0.5/v1" and not lab.key_required
    monkeypatch.setenv("ROUTR_CONFIG", str(clean_env / "missing.toml"))
    with pytest.raises(ConfigError, match="ROUTR_CONFIG"):
        known_providers()


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('[providers.x]\nformat = "soap"\nbase_url = "http://a/v1"\n', "format must be one of"),
        ('[providers.x]\nformat = "openai"\nbase_url = "ftp://a"\n', "base_url must be"),
        (
            f'[providers.x]\nformat = "openai"\nbase_url = "https://u:{FAKE_KEY}@a/v1"\n',
            "without credentials or query",
        ),
        (
            f'[providers.x]\nformat = "gemini"\nbase_url = "https://a/v1?key={FAKE_KEY}"\n',
            "keys go in key_env",
        ),
        (
            '[providers.x]\nformat = "openai"\nbase_url = "http://a"\napi_key = "k"\n',
            "unknown field",
        ),
        ('[providers.X]\nformat = "openai"\nbase_url = "http://a"\n', "lowercase"),
        ("[providers\n", "not valid TOML"),
        (
            f'[providers.x]\nformat = "openai"\nbase_url = "http://a"\nkey_env = "{FAKE_KEY}"\n',
            "must name an environment variable",
        ),
        (
            '[providers.x]\nformat = "openai"\nbase_url = "http://a"\nkey_env = "abc123def456"\n',
            "never hold the key itself",
        ),
    ],
)
def test_bad_routr_toml_is_a_one_line_config_error(
    clean_env: Path, body: str, complaint: str
) -> None:
    (clean_env / "routr.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=complaint) as info:
        known_providers()
    assert "\n" not in str(info.value)
    assert FAKE_KEY not in str(info.value) and "abc123def456" not in str(info.value)


def test_the_key_is_read_at_call_time_and_never_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    with httpx.Client() as client:
        resolved = resolve_model("openai/gpt-4.1", client)
    shown = [repr(resolved), repr(resolved.provider), repr(known_providers()["openai"])]
    assert all(FAKE_KEY not in s for s in shown)
    assert all(FAKE_KEY not in str(v) for v in vars(resolved.provider).values())
    monkeypatch.delenv("OPENAI_API_KEY")
    config = known_providers()["openai"]
    with pytest.raises(MissingKeyError) as info:
        config.api_key()
    assert FAKE_KEY not in str(info.value)
