"""`python -m logstats FILE...`: print the report for the given access logs."""

from __future__ import annotations

import sys

from logstats.aggregate import Aggregator
from logstats.report import render


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m logstats FILE...", file=sys.stderr)
        return 2
    agg = Aggregator()
    for path in argv:
        with open(path, encoding="utf-8") as handle:
            agg.add_lines(handle)
    sys.stdout.write(render(agg))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
