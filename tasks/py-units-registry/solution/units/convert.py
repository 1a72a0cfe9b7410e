"""Numeric conversion between units of the same dimension."""

from __future__ import annotations

from units.registry import UnknownUnit, get_unit

__all__ = ["IncompatibleUnits", "UnknownUnit", "convert", "dimension_of"]


class IncompatibleUnits(ValueError):
    """The two units measure different things (e.g. metres and kilograms)."""


def dimension_of(unit: str) -> str:
    return get_unit(unit).dimension


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` from one unit symbol to another of the same dimension."""
    source, target = get_unit(from_unit), get_unit(to_unit)
    if source.dimension != target.dimension:
        raise IncompatibleUnits(
            f"cannot convert {source.dimension} ({from_unit}) to {target.dimension} ({to_unit})"
        )
    if source.offset == 0 and target.offset == 0:
        return value * source.factor / target.factor
    return target.from_base(source.to_base(value))
