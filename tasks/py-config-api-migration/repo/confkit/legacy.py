"""Deprecated global-state configuration API. Use ``confkit.settings.Settings``."""

from __future__ import annotations

import configparser
import os
import warnings
from pathlib import Path
from typing import Any

_CONFIG: dict[str, str] = {}
_TRUE = ("1", "true", "yes", "on")


def _deprecated(name: str) -> None:
    warnings.warn(
        f"confkit.legacy.{name} is deprecated; use confkit.settings.Settings",
        DeprecationWarning,
        stacklevel=3,
    )


def load_legacy(path: str | Path) -> None:
    """Read ``path`` into the process-wide configuration (replacing what was there)."""
    _deprecated("load_legacy")
    parser = configparser.ConfigParser(interpolation=None)
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)
    _CONFIG.clear()
    for section in parser.sections():
        for key, value in parser[section].items():
            _CONFIG[f"{section}.{key}"] = value


def get_setting(key: str, default: Any = None, cast: Any = str) -> Any:
    """Value of ``key``; ``APP_<KEY>`` in the environment wins. ``cast="csv"`` splits lists."""
    _deprecated("get_setting")
    raw = os.environ.get("APP_" + key.upper().replace(".", "_"), _CONFIG.get(key))
    if raw is None:
        return default
    if cast is bool:
        return raw.strip().lower() in _TRUE
    if cast == "csv":
        return [item.strip() for item in raw.split(",") if item.strip()]
    return cast(raw)
