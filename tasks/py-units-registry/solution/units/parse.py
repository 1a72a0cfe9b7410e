"""Parse user input such as ``"12 ft"`` or ``"2.5 kilograms"``."""

from __future__ import annotations

import re

from units.registry import lookup

_QUANTITY_RE = re.compile(r"^\s*(?P<value>[-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[A-Za-z][A-Za-z ]*?)\s*$")


def parse_quantity(text: str) -> tuple[float, str]:
    """Return ``(value, unit symbol)``; raise ``ValueError`` / ``UnknownUnit``."""
    match = _QUANTITY_RE.match(text)
    if match is None:
        raise ValueError(f"not a quantity: {text!r}")
    return float(match.group("value")), lookup(match.group("unit")).symbol
