import pytest

from units import IncompatibleUnits, UnknownUnit, convert, format_quantity, parse_quantity


def register_unit(*args, **kwargs):
    from units.registry import register_unit as register  # new module: import lazily

    return register(*args, **kwargs)


def get_unit(symbol):
    from units.registry import get_unit as lookup

    return lookup(symbol)


def test_registered_length_unit_works_everywhere():
    register_unit("nmi", "length", 1852.0, singular="nautical mile", plural="nautical miles", aliases=("NM",))
    assert convert(1, "nmi", "km") == pytest.approx(1.852)
    assert convert(3704, "m", "nmi") == pytest.approx(2.0)
    assert parse_quantity("3 Nautical Miles") == (3.0, "nmi")
    assert parse_quantity("4 nm") == (4.0, "nmi")
    assert parse_quantity("5nmi") == (5.0, "nmi")
    assert format_quantity(1, "nmi") == "1 nautical mile"
    assert format_quantity(2.5, "nmi") == "2.5 nautical miles"
    with pytest.raises(IncompatibleUnits):
        convert(1, "nmi", "kg")


def test_registered_unit_with_offset():
    # Rankine: absolute scale with Fahrenheit-sized degrees; a made-up "degX" with an offset
    register_unit("degR", "temperature", 5 / 9, singular="degree Rankine", plural="degrees Rankine", aliases=("rankine",))
    register_unit("degX", "temperature", 2.0, offset=100.0, singular="degree X", plural="degrees X")
    assert convert(491.67, "degR", "degC") == pytest.approx(0.0, abs=1e-9)
    assert convert(32, "degF", "degR") == pytest.approx(491.67)
    assert convert(0, "degX", "K") == pytest.approx(100.0)
    assert convert(373.15, "K", "degX") == pytest.approx(136.575)
    assert parse_quantity("10 rankine") == (10.0, "degR")
    assert format_quantity(1, "degX") == "1 degree X"


def test_registered_new_dimension():
    register_unit("L", "volume", 1.0, singular="litre", plural="litres", aliases=("liter", "liters"))
    register_unit("mL", "volume", 0.001, singular="millilitre", plural="millilitres")
    register_unit("cup", "volume", 0.2365882365, singular="cup", plural="cups")
    assert convert(2, "cup", "mL") == pytest.approx(473.176473)
    assert parse_quantity("750 millilitres") == (750.0, "mL")
    assert parse_quantity("1.5 liters") == (1.5, "L")
    assert format_quantity(0.25, "L") == "0.25 litres"
    with pytest.raises(IncompatibleUnits):
        convert(1, "cup", "kg")


def test_get_unit_describes_units():
    unit = get_unit("km")
    assert unit.symbol == "km" and unit.dimension == "length" and unit.factor == pytest.approx(1000.0)
    assert get_unit("degC").dimension == "temperature"
    with pytest.raises(UnknownUnit):
        get_unit("nope")


def test_duplicate_registration_rejected():
    with pytest.raises(ValueError):
        register_unit("km", "length", 1000.0, singular="klick", plural="klicks")
    with pytest.raises(ValueError):
        register_unit("yd2", "length", 0.9144, singular="yard", plural="feet")
    assert format_quantity(2, "ft") == "2 feet"
    assert parse_quantity("2 feet") == (2.0, "ft")
