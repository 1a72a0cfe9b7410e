"""Unit conversion, parsing and formatting."""

from units.convert import IncompatibleUnits, UnknownUnit, convert
from units.fmt import format_quantity
from units.parse import parse_quantity
from units.registry import Unit, get_unit, register_unit

__all__ = [
    "IncompatibleUnits", "Unit", "UnknownUnit", "convert", "format_quantity", "get_unit",
    "parse_quantity", "register_unit",
]
