"""The dispatch-facing API: driver positions and nearby lookups."""

from __future__ import annotations

from spatial.geometry import Point
from spatial.grid import GridIndex


class DriverLocator:
    """Tracks online drivers and answers proximity queries for pickups."""

    def __init__(self, cell_size: float = 250.0) -> None:
        self._index = GridIndex(cell_size)
        self.lookups = 0

    def update(self, driver_id: str, position: Point) -> None:
        self._index.insert(driver_id, position)

    def go_offline(self, driver_id: str) -> None:
        if driver_id in self._index:
            self._index.remove(driver_id)

    def online_count(self) -> int:
        return len(self._index)

    def within(self, pickup_id: str, position: Point, radius: float) -> list[tuple[str, float]]:
        """Drivers within `radius` metres of a pickup, nearest first."""
        self.lookups += 1
        return [(str(item), d) for item, d in self._index.query_radius(position, radius)]

    def closest(self, position: Point, k: int = 5) -> list[tuple[str, float]]:
        self.lookups += 1
        return [(str(item), d) for item, d in self._index.nearest(position, k)]
