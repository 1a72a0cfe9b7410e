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
        """Apply an event that takes effect at a single instant (``event.ts``)."""
        if event.kind in ("receive", "return"):
            self._change(event, event.warehouse, event.qty)
        elif event.kind == "ship":
            self._change(event, event.warehouse, -event.qty)
        elif event.kind == "transfer":
            self.depart(event)
            self.arrive(event)
        elif event.kind == "adjust":
            # A cycle count states what is on the shelf; it replaces the level.
            self.on_hand[(event.warehouse, event.sku)] = event.qty
        else:
            raise ValueError(f"unknown event kind {event.kind!r}")

    def depart(self, event: Event) -> None:
        """A transfer leaves its source warehouse and goes in transit."""
        self._change(event, event.warehouse, -event.qty)
        self.in_transit[event.sku] += event.qty

    def arrive(self, event: Event) -> None:
        """A transfer reaches its destination warehouse."""
        assert event.to_warehouse is not None
        self.in_transit[event.sku] -= event.qty
        self._change(event, event.to_warehouse, event.qty)
