"""Human-readable quantities: ``format_quantity(2, "km") == "2 kilometres"``."""

from __future__ import annotations

from units.convert import UnknownUnit

DISPLAY = {
    "m": ("metre", "metres"),
    "km": ("kilometre", "kilometres"),
    "cm": ("centimetre", "centimetres"),
    "mm": ("millimetre", "millimetres"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "in": ("inch", "inches"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "K": ("kelvin", "kelvins"),
    "degC": ("degree Celsius", "degrees Celsius"),
    "degF": ("degree Fahrenheit", "degrees Fahrenheit"),
}


def format_quantity(value: float, unit: str, precision: int = 2) -> str:
    if unit not in DISPLAY:
        raise UnknownUnit(unit)
    text = f"{value:.{precision}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    singular, plural = DISPLAY[unit]
    return f"{text} {singular if text == '1' else plural}"
