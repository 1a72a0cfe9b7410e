"""In-memory metrics store with bucketed rollups."""

from tsdb.lineproto import LineError, parse_line
from tsdb.model import Sample, SeriesKey
from tsdb.rollup import rollup
from tsdb.store import MemoryStore

__all__ = ["LineError", "MemoryStore", "Sample", "SeriesKey", "parse_line", "rollup"]
