"""Replay events up to a point in time.

The feed is at-least-once and unordered, so replay builds a timeline first:
duplicates (same ``event_id``) are dropped, a transfer with a later ``arrives_at``
becomes two steps (departure, arrival), and steps are applied by UTC instant,
then ``seq`` (an arrival sorts with its transfer's ``seq``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from inventory.events import Event
from inventory.ledger import Ledger

_APPLY, _DEPART, _ARRIVE = 0, 1, 2


@dataclass
class Snapshot:
    as_of: datetime
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    in_transit: dict[str, int] = field(default_factory=dict)
    anomalies: list[str] = field(default_factory=list)


def _timeline(events: Iterable[Event]) -> list[tuple[datetime, int, int, Event]]:
    seen: set[str] = set()
    steps: list[tuple[datetime, int, int, Event]] = []
    for event in events:
        if event.event_id in seen:
            continue
        seen.add(event.event_id)
        if event.kind == "transfer" and event.arrives_at is not None and event.arrives_at > event.ts:
            steps.append((event.ts, event.seq, _DEPART, event))
            steps.append((event.arrives_at, event.seq, _ARRIVE, event))
        else:
            steps.append((event.ts, event.seq, _APPLY, event))
    steps.sort(key=lambda step: (step[0], step[1], step[2]))
    return steps


def snapshot(events: Iterable[Event], as_of: datetime) -> Snapshot:
    """Stock as of ``as_of`` (inclusive; naive means UTC). Zero levels are left out."""
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=timezone.utc)
    ledger = Ledger()
    for when, _, step, event in _timeline(events):
        if when > as_of:
            break
        if step == _DEPART:
            ledger.depart(event)
        elif step == _ARRIVE:
            ledger.arrive(event)
        else:
            ledger.apply(event)
    return Snapshot(
        as_of=as_of,
        on_hand={key: qty for key, qty in sorted(ledger.on_hand.items()) if qty != 0},
        in_transit={sku: qty for sku, qty in sorted(ledger.in_transit.items()) if qty != 0},
        anomalies=list(ledger.anomalies),
    )
