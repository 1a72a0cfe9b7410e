"""A uniform grid hash: cheap inserts and moves, queries touch only nearby cells."""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterator

from spatial.geometry import BBox, Point

Cell = tuple[int, int]


class GridIndex:
    """Items (any hashable id) at points, bucketed into square cells of `cell_size`."""

    def __init__(self, cell_size: float = 100.0) -> None:
        if cell_size <= 0:
            raise ValueError("cell_size must be positive")
        self.cell_size = float(cell_size)
        self._cells: dict[Cell, dict[Hashable, Point]] = {}
        self._where: dict[Hashable, Point] = {}

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, item: object) -> bool:
        return item in self._where

    def cell_of(self, point: Point) -> Cell:
        return (math.floor(point.x / self.cell_size), math.floor(point.y / self.cell_size))

    def cell_bbox(self, cell: Cell) -> BBox:
        size = self.cell_size
        return BBox(cell[0] * size, cell[1] * size, (cell[0] + 1) * size, (cell[1] + 1) * size)

    def insert(self, item: Hashable, point: Point) -> None:
        """Add `item` at `point`, or move it there if it is already indexed."""
        if item in self._where:
            self.remove(item)
        self._cells.setdefault(self.cell_of(point), {})[item] = point
        self._where[item] = point

    def remove(self, item: Hashable) -> None:
        point = self._where.pop(item)
        cell = self.cell_of(point)
        bucket = self._cells[cell]
        del bucket[item]
        if not bucket:
            del self._cells[cell]

    def position(self, item: Hashable) -> Point:
        return self._where[item]

    def _cells_overlapping(self, box: BBox) -> Iterator[dict[Hashable, Point]]:
        """Buckets of the non-empty cells that overlap `box`."""
        for cell, bucket in self._cells.items():
            if self.cell_bbox(cell).intersects(box):
                yield bucket

    def query_bbox(self, box: BBox) -> list[Hashable]:
        """Items inside `box`, sorted by id."""
        found = [
            item
            for bucket in self._cells_overlapping(box)
            for item, point in bucket.items()
            if box.contains(point)
        ]
        return sorted(found, key=repr)

    def query_radius(self, center: Point, radius: float) -> list[tuple[Hashable, float]]:
        """(item, distance) within `radius` of `center`, nearest first, ties by id."""
        if radius < 0:
            raise ValueError("radius must not be negative")
        found: list[tuple[Hashable, float]] = []
        for bucket in self._cells_overlapping(BBox.around(center, radius)):
            for item, point in bucket.items():
                distance = center.distance_to(point)
                if distance <= radius:
                    found.append((item, distance))
        found.sort(key=lambda pair: (pair[1], repr(pair[0])))
        return found

    def nearest(self, center: Point, k: int = 1) -> list[tuple[Hashable, float]]:
        """The `k` items closest to `center`, nearest first, ties by id.

        Searches growing square rings of cells; stops once the ring is farther away
        than the k-th best distance found so far.
        """
        if k <= 0 or not self._where:
            return []
        k = min(k, len(self._where))
        ring = 0
        best: list[tuple[float, str, Hashable]] = []
        while True:
            radius = (ring + 1) * self.cell_size
            candidates = self.query_radius(center, radius)
            best = heapq.nsmallest(k, ((d, repr(item), item) for item, d in candidates))
            if len(best) == k and best[-1][0] <= ring * self.cell_size:
                break
            if len(candidates) == len(self._where):
                break
            ring += 1
        return [(item, distance) for distance, _, item in best]
