"""Parse `name,label=value,... value timestamp` lines."""

from __future__ import annotations

import math
import re

from tsdb.model import Sample, SeriesKey

NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class LineError(ValueError):
    """A line that does not follow the protocol."""


def parse_line(line: str) -> tuple[SeriesKey, Sample] | None:
    """The series and sample on `line`, or None for blank lines and `#` comments."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    parts = text.split()
    if len(parts) != 3:
        raise LineError(f"expected 'series value timestamp', got {text!r}")
    series, value_text, ts_text = parts
    name, *label_parts = series.split(",")
    if not NAME.match(name):
        raise LineError(f"bad metric name {name!r}")
    labels: dict[str, str] = {}
    for part in label_parts:
        key, sep, value = part.partition("=")
        if not sep or not NAME.match(key) or not value:
            raise LineError(f"bad label {part!r}")
        labels[key] = value
    try:
        value = float(value_text)
        timestamp = int(ts_text)
    except ValueError:
        raise LineError(f"bad value or timestamp in {text!r}") from None
    if not math.isfinite(value):
        raise LineError(f"value must be finite in {text!r}")
    return SeriesKey.of(name, labels), Sample(timestamp, value)
