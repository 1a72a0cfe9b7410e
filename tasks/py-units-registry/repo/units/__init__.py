"""Unit conversion, parsing and formatting."""

from units.convert import IncompatibleUnits, UnknownUnit, convert
from units.fmt import format_quantity
from units.parse import parse_quantity

__all__ = ["IncompatibleUnits", "UnknownUnit", "convert", "format_quantity", "parse_quantity"]
