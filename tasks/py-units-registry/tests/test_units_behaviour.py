import pytest

from units import IncompatibleUnits, UnknownUnit, convert, format_quantity, parse_quantity


def test_existing_conversions():
    assert convert(5, "km", "mi") == pytest.approx(3.10685596)
    assert convert(12, "in", "ft") == pytest.approx(1.0)
    assert convert(1, "lb", "oz") == pytest.approx(16.0)
    assert convert(100, "degC", "degF") == pytest.approx(212.0)
    assert convert(-40, "degF", "degC") == pytest.approx(-40.0)
    assert convert(0, "K", "degC") == pytest.approx(-273.15)
    with pytest.raises(IncompatibleUnits):
        convert(1, "kg", "m")
    with pytest.raises(UnknownUnit):
        convert(1, "parsec", "m")


def test_existing_parse_and_format():
    assert parse_quantity("2.5 Kilograms") == (2.5, "kg")
    assert parse_quantity("12ft") == (12.0, "ft")
    assert parse_quantity(" -3  degrees   celsius ") == (-3.0, "degC")
    assert parse_quantity("10 lbs") == (10.0, "lb")
    assert format_quantity(1, "lb") == "1 pound"
    assert format_quantity(2.50, "km") == "2.5 kilometres"
    assert format_quantity(3.25, "degC", 1) == "3.2 degrees Celsius"
    assert format_quantity(-0.001, "g") == "0 grams"
    with pytest.raises(UnknownUnit):
        parse_quantity("3 parsecs")
    with pytest.raises(ValueError):
        parse_quantity("three feet")
