"""Human-readable quantities: ``format_quantity(2, "km") == "2 kilometres"``."""

from __future__ import annotations

from units.registry import get_unit


def format_quantity(value: float, unit: str, precision: int = 2) -> str:
    info = get_unit(unit)
    text = f"{value:.{precision}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"{text} {info.singular if text == '1' else info.plural}"
