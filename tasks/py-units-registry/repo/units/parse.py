"""Parse user input such as ``"12 ft"`` or ``"2.5 kilograms"``."""

from __future__ import annotations

import re

from units.convert import UnknownUnit

_QUANTITY_RE = re.compile(r"^\s*(?P<value>[-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>[A-Za-z][A-Za-z ]*?)\s*$")

NAMES = {
    "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "cm": "cm", "centimetre": "cm", "centimetres": "cm",
    "mm": "mm", "millimetre": "mm", "millimetres": "mm",
    "mi": "mi", "mile": "mi", "miles": "mi",
    "ft": "ft", "foot": "ft", "feet": "ft",
    "in": "in", "inch": "in", "inches": "in",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gram": "g", "grams": "g",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "oz": "oz", "ounce": "oz", "ounces": "oz",
    "k": "K", "kelvin": "K", "kelvins": "K",
    "degc": "degC", "celsius": "degC", "degree celsius": "degC", "degrees celsius": "degC",
    "degf": "degF", "fahrenheit": "degF", "degree fahrenheit": "degF", "degrees fahrenheit": "degF",
}


def parse_quantity(text: str) -> tuple[float, str]:
    """Return ``(value, unit symbol)``; raise ``ValueError`` / ``UnknownUnit``."""
    match = _QUANTITY_RE.match(text)
    if match is None:
        raise ValueError(f"not a quantity: {text!r}")
    unit_text = " ".join(match.group("unit").split()).lower()
    if unit_text not in NAMES:
        raise UnknownUnit(match.group("unit"))
    return float(match.group("value")), NAMES[unit_text]
