"""Built-in filters: plain functions called as ``func(value, *args)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Filter = Callable[..., Any]


def _upper(value: Any) -> str:
    return "" if value is None else str(value).upper()


def _lower(value: Any) -> str:
    return "" if value is None else str(value).lower()


def _trim(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _default(value: Any, fallback: Any = "") -> Any:
    return fallback if value is None or value == "" else value


def _join(value: Any, separator: str = ", ") -> str:
    if value is None:
        return ""
    return str(separator).join("" if item is None else str(item) for item in value)


def _length(value: Any) -> int:
    return 0 if value is None else len(value)


BUILTIN_FILTERS: dict[str, Filter] = {
    "upper": _upper,
    "lower": _lower,
    "trim": _trim,
    "default": _default,
    "join": _join,
    "length": _length,
}
