"""Numeric conversion between units of the same dimension."""

from __future__ import annotations


class UnknownUnit(KeyError):
    """The unit symbol is not known."""


class IncompatibleUnits(ValueError):
    """The two units measure different things (e.g. metres and kilograms)."""


# factor to the dimension's base unit (metre, kilogram)
LENGTH = {"m": 1.0, "km": 1000.0, "cm": 0.01, "mm": 0.001, "mi": 1609.344, "ft": 0.3048, "in": 0.0254}
MASS = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "oz": 0.028349523125}
TEMPERATURE = ("K", "degC", "degF")


def _to_kelvin(value: float, unit: str) -> float:
    if unit == "K":
        return value
    if unit == "degC":
        return value + 273.15
    return (value + 459.67) * 5 / 9


def _from_kelvin(value: float, unit: str) -> float:
    if unit == "K":
        return value
    if unit == "degC":
        return value - 273.15
    return value * 9 / 5 - 459.67


def dimension_of(unit: str) -> str:
    if unit in LENGTH:
        return "length"
    if unit in MASS:
        return "mass"
    if unit in TEMPERATURE:
        return "temperature"
    raise UnknownUnit(unit)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from one unit symbol to another of the same dimension."""
    source, target = dimension_of(from_unit), dimension_of(to_unit)
    if source != target:
        raise IncompatibleUnits(f"cannot convert {source} ({from_unit}) to {target} ({to_unit})")
    if source == "temperature":
        return _from_kelvin(_to_kelvin(value, from_unit), to_unit)
    table = LENGTH if source == "length" else MASS
    return value * table[from_unit] / table[to_unit]
