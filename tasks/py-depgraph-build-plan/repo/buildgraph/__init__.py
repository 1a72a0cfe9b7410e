"""Dependency graph, build order and parallel build batches for the build tool."""

from buildgraph.errors import BuildGraphError, CycleError, UnknownTargetError
from buildgraph.graph import BuildGraph
from buildgraph.loader import load_graph
from buildgraph.order import build_order
from buildgraph.plan import plan_batches

__all__ = [
    "BuildGraph",
    "BuildGraphError",
    "CycleError",
    "UnknownTargetError",
    "build_order",
    "load_graph",
    "plan_batches",
]
