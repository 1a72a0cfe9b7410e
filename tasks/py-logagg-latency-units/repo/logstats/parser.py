"""Parse access-log lines."""

from __future__ import annotations

from datetime import datetime

from logstats.model import Request

# Seconds per unit.
UNITS = {"s": 1.0, "ms": 0.001, "us": 0.000001, "m": 60.0}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


class MalformedLine(ValueError):
    """A line that is not a valid access-log record."""


def parse_duration(text: str) -> float:
    """`125ms` -> 0.125; the unit is required."""
    for unit, factor in UNITS.items():
        if text.endswith(unit):
            number = text[: -len(unit)]
            try:
                value = float(number)
            except ValueError:
                raise MalformedLine(f"bad duration {text!r}") from None
            if value < 0:
                raise MalformedLine(f"negative duration {text!r}")
            return value * factor
    raise MalformedLine(f"duration {text!r} has no unit (us, ms, s, m)")


def parse_timestamp(text: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedLine(f"bad timestamp {text!r}") from None
    if stamp.tzinfo is None:
        raise MalformedLine(f"timestamp {text!r} has no UTC offset")
    return stamp


def parse_line(line: str) -> Request | None:
    """The request on this line, or None for blank lines and comments."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    fields = text.split()
    if len(fields) < 5:
        raise MalformedLine(f"expected at least 5 fields, got {len(fields)}: {text!r}")
    stamp, method, path, status, duration, *rest = fields
    if method not in METHODS:
        raise MalformedLine(f"unknown method {method!r}")
    if not path.startswith("/"):
        raise MalformedLine(f"bad path {path!r}")
    if not status.isdigit() or not 100 <= int(status) <= 599:
        raise MalformedLine(f"bad status {status!r}")
    tags = {}
    for item in rest:
        key, sep, value = item.partition("=")
        if not sep:
            raise MalformedLine(f"bad tag {item!r} (expected key=value)")
        tags[key] = value
    return Request(parse_timestamp(stamp), method, path, int(status), parse_duration(duration), tags)
