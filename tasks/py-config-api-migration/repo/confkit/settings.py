"""Typed, explicit configuration access (the current confkit API)."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})
_MISSING: Any = object()


class MissingSetting(KeyError):
    """A required option has no value in the file or the environment."""


class Settings:
    """Options keyed ``"section.option"``.

    With ``env_prefix="APP_"``, the variable ``APP_DB_PORT`` overrides ``db.port``.
    Without a prefix the environment is not consulted.
    """

    def __init__(
        self,
        values: Mapping[str, str],
        env_prefix: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._values = dict(values)
        self._env_prefix = env_prefix
        self._environ = environ if environ is not None else os.environ

    @classmethod
    def from_file(
        cls, path: str | Path, env_prefix: str | None = None, environ: Mapping[str, str] | None = None
    ) -> "Settings":
        parser = configparser.ConfigParser(interpolation=None)
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
        values = {f"{section}.{key}": value for section in parser.sections() for key, value in parser[section].items()}
        return cls(values, env_prefix=env_prefix, environ=environ)

    def raw(self, key: str) -> str | None:
        if self._env_prefix is not None:
            env_name = self._env_prefix + key.upper().replace(".", "_")
            if env_name in self._environ:
                return self._environ[env_name]
        return self._values.get(key)

    def _get(self, key: str, default: Any) -> str | Any:
        value = self.raw(key)
        if value is None:
            if default is _MISSING:
                raise MissingSetting(key)
            return default
        return value

    def get_str(self, key: str, default: Any = _MISSING) -> Any:
        return self._get(key, default)

    def get_int(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        return int(value) if isinstance(value, str) else value

    def get_float(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        return float(value) if isinstance(value, str) else value

    def get_bool(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key, default)
        if not isinstance(value, str):
            return value
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"{key}: not a boolean: {value!r}")

    def get_list(self, key: str, default: Any = _MISSING, sep: str = ",") -> Any:
        value = self._get(key, default)
        if not isinstance(value, str):
            return value
        return [item.strip() for item in value.split(sep) if item.strip()]
