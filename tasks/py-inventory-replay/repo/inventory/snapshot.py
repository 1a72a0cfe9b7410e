"""Replay events up to a point in time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from inventory.events import Event
from inventory.ledger import Ledger


@dataclass
class Snapshot:
    as_of: datetime
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    in_transit: dict[str, int] = field(default_factory=dict)
    anomalies: list[str] = field(default_factory=list)


def snapshot(events: Iterable[Event], as_of: datetime) -> Snapshot:
    """Stock as of ``as_of`` (inclusive). Zero levels are left out of the result."""
    ledger = Ledger()
    for event in events:
        if event.ts <= as_of:
            ledger.apply(event)
    return Snapshot(
        as_of=as_of,
        on_hand={key: qty for key, qty in sorted(ledger.on_hand.items()) if qty != 0},
        in_transit={sku: qty for sku, qty in sorted(ledger.in_transit.items()) if qty != 0},
        anomalies=list(ledger.anomalies),
    )
