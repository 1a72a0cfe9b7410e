"""Mutable stock levels and how each kind of movement changes them."""

from __future__ import annotations

from collections import defaultdict

from inventory.events import Event


class Ledger:
    def __init__(self) -> None:
        self.on_hand: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.in_transit: defaultdict[str, int] = defaultdict(int)
        self.anomalies: list[str] = []

    def _change(self, event: Event, warehouse: str, delta: int) -> None:
        key = (warehouse, event.sku)
        self.on_hand[key] += delta
        if self.on_hand[key] < 0 and event.event_id not in self.anomalies:
            self.anomalies.append(event.event_id)

    def apply(self, event: Event) -> None:
        if event.kind in ("receive", "return"):
            self._change(event, event.warehouse, event.qty)
        elif event.kind == "ship":
            self._change(event, event.warehouse, -event.qty)
        elif event.kind == "transfer":
            assert event.to_warehouse is not None
            self._change(event, event.warehouse, -event.qty)
            self._change(event, event.to_warehouse, event.qty)
        elif event.kind == "adjust":
            self._change(event, event.warehouse, event.qty)
        else:
            raise ValueError(f"unknown event kind {event.kind!r}")
