"""Uniform-grid spatial index and the driver locator built on it."""

from spatial.geometry import BBox, Point
from spatial.grid import GridIndex
from spatial.locator import DriverLocator

__all__ = ["BBox", "DriverLocator", "GridIndex", "Point"]
