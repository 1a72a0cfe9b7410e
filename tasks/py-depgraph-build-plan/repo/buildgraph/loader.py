"""Parse BUILD files: one `target: dep dep ...` declaration per line."""

from __future__ import annotations

from pathlib import Path

from buildgraph.errors import BuildGraphError
from buildgraph.graph import BuildGraph


def load_graph(text: str) -> BuildGraph:
    graph = BuildGraph()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, rest = line.partition(":")
        if not sep or not name.strip():
            raise BuildGraphError(f"line {number}: expected 'target: deps...', got {raw.strip()!r}")
        try:
            graph.add_target(name.strip(), rest.split())
        except BuildGraphError as exc:
            raise BuildGraphError(f"line {number}: {exc}") from None
    return graph


def load_file(path: str | Path) -> BuildGraph:
    return load_graph(Path(path).read_text(encoding="utf-8"))
