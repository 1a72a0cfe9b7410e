"""`python -m buildgraph BUILD [goal ...]`: print the build batches."""

from __future__ import annotations

import sys

from buildgraph.errors import BuildGraphError
from buildgraph.loader import load_file
from buildgraph.plan import plan_batches


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m buildgraph BUILD [goal ...]", file=sys.stderr)
        return 2
    try:
        graph = load_file(argv[0])
        batches = plan_batches(graph, argv[1:] or None)
    except (OSError, BuildGraphError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for batch in batches:
        print(" ".join(batch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
