"""The simulated models' definitions, read from ``models.toml`` beside this module.

A simulated model is a stand-in for a real provider: it has a per-category skill, prices,
a context window, a latency profile and error rates, all invented and documented in the
data file. Names always start with ``sim/`` and every display marks them "(simulated)".
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError, UnknownModelError

MODELS_FILE = Path(__file__).with_name("models.toml")
SIM_PREFIX = "sim/"
MISTAKE_KINDS = (
    "partial", "syntax_error", "wrong_file", "malformed", "stale_search", "unchanged_comment",
)  # fmt: skip
SIMULATED_LABEL = "(simulated)"


def is_simulated(name: str) -> bool:
    """True for a simulated model's name (``sim/...``)."""
    return name.startswith(SIM_PREFIX)


def display_name(name: str, simulated: bool = False) -> str:
    """``name`` as shown to people: simulated models carry the "(simulated)" label.

    ``simulated`` covers what the name alone cannot tell: a provider that ``routr.toml``
    marks ``simulated = true`` under another name. Every display goes through here, so the
    label cannot be forgotten in one place and present in another.
    """
    return f"{name} {SIMULATED_LABEL}" if simulated or is_simulated(name) else name


@dataclass(frozen=True)
class SimModel:
    name: str  # "sim/frontier"
    description: str
    context_window: int
    ttft_s: float
    tokens_per_second: float
    input_usd_per_mtok: float
    output_usd_per_mtok: float
    cached_input_usd_per_mtok: float
    rate_limited_rate: float
    retry_after_s: float
    server_error_rate: float
    repair_bonus: float
    skill: dict[str, float]  # category -> 0..1, with "default"
    difficulty: dict[str, float]  # easy/medium/hard -> multiplier
    mistakes: dict[str, float]  # mistake kind -> weight

    @property
    def model_id(self) -> str:
        """The id after the provider prefix ("frontier")."""
        return self.name[len(SIM_PREFIX) :]

    def success_probability(self, category: str, difficulty: str, turn: int) -> float:
        """P(the answer is the reference change) for one turn on one task."""
        skill = self.skill.get(category, self.skill["default"])
        p = skill * self.difficulty.get(difficulty, 1.0)
        if turn > 1:
            p += self.repair_bonus
        return max(0.0, min(0.99, p))


def _num(where: str, table: dict[str, Any], key: str, lo: float, hi: float | None) -> float:
    """A number in [lo, hi]; ``where`` starts with the file and the table it is in."""
    value = table.get(key)
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or value < lo
        or (hi is not None and value > hi)
    ):
        bound = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise ConfigError(f"{where}.{key} must be a number {bound}: fix the value")
    return float(value)


def _table(where: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ConfigError(f"{where}.{key} must be a table: add it")
    return value


def _parse_model(name: str, data: dict[str, Any], path: Path) -> SimModel:
    where = f"{path}: models.{name!r}"
    if not is_simulated(name):
        raise ConfigError(f"{where}: simulated model names must start with 'sim/'")
    price, errors = _table(where, data, "price"), _table(where, data, "errors")
    skill_t, diff_t = _table(where, data, "skill"), _table(where, data, "difficulty")
    mistakes_t = _table(where, data, "mistakes")
    if "default" not in skill_t:
        raise ConfigError(f"{where}.skill needs a 'default' entry")
    unknown = sorted(set(mistakes_t) - set(MISTAKE_KINDS))
    if unknown:
        raise ConfigError(
            f"{where}.mistakes.{unknown[0]}: unknown kind (known: {', '.join(MISTAKE_KINDS)})"
        )
    return SimModel(
        name=name,
        description=str(data.get("description", "")),
        context_window=int(_num(where, data, "context_window", 1024, None)),
        ttft_s=_num(where, data, "ttft_s", 0, None),
        tokens_per_second=_num(where, data, "tokens_per_second", 1, None),
        input_usd_per_mtok=_num(where + ".price", price, "input", 0, None),
        output_usd_per_mtok=_num(where + ".price", price, "output", 0, None),
        cached_input_usd_per_mtok=_num(where + ".price", price, "cached_input", 0, None),
        rate_limited_rate=_num(where + ".errors", errors, "rate_limited", 0, 1),
        retry_after_s=_num(where + ".errors", errors, "retry_after_s", 0, None),
        server_error_rate=_num(where + ".errors", errors, "server_error", 0, 1),
        repair_bonus=_num(where, data, "repair_bonus", 0, 1),
        skill={k: _num(where + ".skill", skill_t, k, 0, 1) for k in skill_t},
        difficulty={k: _num(where + ".difficulty", diff_t, k, 0, 1) for k in diff_t},
        mistakes={k: _num(where + ".mistakes", mistakes_t, k, 0, None) for k in mistakes_t},
    )


@cache
def load_sim_models(path: Path = MODELS_FILE) -> dict[str, SimModel]:
    """Every simulated model, by name (``sim/...``), in file order."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{path}: cannot read the simulated models ({exc}): fix the file"
        ) from exc
    models = data.get("models")
    if not isinstance(models, dict) or not models:
        raise ConfigError(f'{path}: needs at least one [models."sim/..."] table')
    return {name: _parse_model(name, table, path) for name, table in models.items()}


def get_sim_model(name: str) -> SimModel:
    """The simulated model ``name`` ("sim/x" or just "x"); unknown names get a suggestion."""
    models = load_sim_models()
    full = name if is_simulated(name) else SIM_PREFIX + name
    if full in models:
        return models[full]
    close = difflib.get_close_matches(full, list(models), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownModelError(f"unknown simulated model {name!r}: {hint}(known: {', '.join(models)})")
