"""Small checked accessors for vendor JSON: a wrong type is a ``MalformedResponseError``.

Vendor payloads are untrusted input. These helpers turn "the field is missing or has the
wrong type" into one clear error instead of a ``KeyError`` or ``TypeError`` deep in a parser.
"""

from __future__ import annotations

from typing import Any

from routr_cli.providers.error_map import malformed


def as_dict(value: object, provider: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise malformed(provider, f"{what} is missing or not an object")
    return value


def as_list(value: object, provider: str, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise malformed(provider, f"{what} is missing or not a list")
    return value


def as_int(value: object, provider: str, what: str) -> int:
    """A token count: absent or null counts as 0; anything but a non-negative int is malformed."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise malformed(provider, f"{what} is not a non-negative integer")
    return value


def optional_float(value: object, provider: str, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise malformed(provider, f"{what} is not a number")
    return float(value)
