"""Parse the movement feed into ``Event`` records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KINDS = ("receive", "ship", "return", "transfer", "adjust")


class FeedError(ValueError):
    """A line of the feed is not a valid event."""


@dataclass(frozen=True)
class Event:
    event_id: str
    seq: int
    ts: datetime
    kind: str
    warehouse: str
    sku: str
    qty: int
    to_warehouse: str | None = None
    arrives_at: datetime | None = None


def _timestamp(value: object, field: str, line: int) -> datetime:
    if not isinstance(value, str):
        raise FeedError(f"line {line}: {field} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FeedError(f"line {line}: bad {field} {value!r}") from exc
    if parsed.tzinfo is None:
        raise FeedError(f"line {line}: {field} needs a UTC offset")
    return parsed


def parse_event(data: dict[str, object], line: int = 0) -> Event:
    kind = data.get("kind")
    if kind not in KINDS:
        raise FeedError(f"line {line}: unknown kind {kind!r}")
    qty = data.get("qty")
    if not isinstance(qty, int) or isinstance(qty, bool) or qty < 0 or (qty == 0 and kind != "adjust"):
        raise FeedError(f"line {line}: qty must be a positive integer")
    to_warehouse = data.get("to_warehouse")
    if kind == "transfer" and not isinstance(to_warehouse, str):
        raise FeedError(f"line {line}: transfer needs to_warehouse")
    arrives_raw = data.get("arrives_at")
    return Event(
        event_id=str(data["event_id"]),
        seq=int(data["seq"]),  # type: ignore[call-overload]
        ts=_timestamp(data.get("ts"), "ts", line),
        kind=str(kind),
        warehouse=str(data["warehouse"]),
        sku=str(data["sku"]),
        qty=qty,
        to_warehouse=to_warehouse if isinstance(to_warehouse, str) else None,
        arrives_at=_timestamp(arrives_raw, "arrives_at", line) if arrives_raw is not None else None,
    )


def load_events(path: str | Path) -> list[Event]:
    events = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                try:
                    events.append(parse_event(json.loads(raw), number))
                except (KeyError, json.JSONDecodeError) as exc:
                    raise FeedError(f"line {number}: {exc}") from exc
    return events
