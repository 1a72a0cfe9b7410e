"""The one table of units. Conversion, parsing and formatting all read it.

A unit converts to its dimension's base unit as ``base = value * factor + offset``
(metre, kilogram, kelvin). Registering a unit once makes it work everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class UnknownUnit(KeyError):
    """The unit symbol is not known."""


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: str
    factor: float
    offset: float
    singular: str
    plural: str
    aliases: tuple[str, ...]

    def to_base(self, value: float) -> float:
        return value * self.factor + self.offset

    def from_base(self, value: float) -> float:
        return (value - self.offset) / self.factor


_BY_SYMBOL: dict[str, Unit] = {}
_BY_NAME: dict[str, Unit] = {}  # lower-cased symbols, names and aliases


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def register_unit(
    symbol: str,
    dimension: str,
    factor: float,
    *,
    offset: float = 0.0,
    singular: str,
    plural: str,
    aliases: Iterable[str] = (),
) -> Unit:
    """Add a unit; ``ValueError`` if the symbol or any name is already taken."""
    if not symbol or not dimension:
        raise ValueError("symbol and dimension are required")
    if factor == 0:
        raise ValueError("factor must not be zero")
    unit = Unit(symbol, dimension, float(factor), float(offset), singular, plural, tuple(aliases))
    names = {_key(n) for n in (symbol, singular, plural, *unit.aliases) if n}
    if symbol in _BY_SYMBOL:
        raise ValueError(f"unit {symbol!r} is already registered")
    clashes = sorted(n for n in names if n in _BY_NAME)
    if clashes:
        raise ValueError(f"name(s) already used by another unit: {', '.join(clashes)}")
    _BY_SYMBOL[symbol] = unit
    for name in names:
        _BY_NAME[name] = unit
    return unit


def get_unit(symbol: str) -> Unit:
    """The unit with exactly this symbol."""
    try:
        return _BY_SYMBOL[symbol]
    except KeyError:
        raise UnknownUnit(symbol) from None


def lookup(text: str) -> Unit:
    """The unit whose symbol, name or alias matches ``text`` (case-insensitive)."""
    try:
        return _BY_NAME[_key(text)]
    except KeyError:
        raise UnknownUnit(text) from None


def _builtin() -> None:
    length = [
        ("m", 1.0, "metre", "metres", ("meter", "meters")),
        ("km", 1000.0, "kilometre", "kilometres", ("kilometer", "kilometers")),
        ("cm", 0.01, "centimetre", "centimetres", ()),
        ("mm", 0.001, "millimetre", "millimetres", ()),
        ("mi", 1609.344, "mile", "miles", ()),
        ("ft", 0.3048, "foot", "feet", ()),
        ("in", 0.0254, "inch", "inches", ()),
    ]
    mass = [
        ("kg", 1.0, "kilogram", "kilograms", ()),
        ("g", 0.001, "gram", "grams", ()),
        ("lb", 0.45359237, "pound", "pounds", ("lbs",)),
        ("oz", 0.028349523125, "ounce", "ounces", ()),
    ]
    for dimension, rows in (("length", length), ("mass", mass)):
        for unit_symbol, unit_factor, singular, plural, aliases in rows:
            register_unit(unit_symbol, dimension, unit_factor, singular=singular, plural=plural, aliases=aliases)
    register_unit("K", "temperature", 1.0, singular="kelvin", plural="kelvins")
    register_unit(
        "degC", "temperature", 1.0, offset=273.15,
        singular="degree Celsius", plural="degrees Celsius", aliases=("celsius",),
    )
    register_unit(
        "degF", "temperature", 5 / 9, offset=459.67 * 5 / 9,
        singular="degree Fahrenheit", plural="degrees Fahrenheit", aliases=("fahrenheit",),
    )


_builtin()
