"""Command line entry point: ``python -m etl.cli exports/*.csv -o out.csv``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from etl.extract import ExportFormatError
from etl.pipeline import run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="etl", description=__doc__)
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        report = run(args.inputs, args.output)
    except ExportFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"read {report.rows_read} rows, used {report.orders_used} orders, rejected {len(report.rejected)}")
    for rejection in report.rejected:
        print(f"  {rejection.source}:{rejection.line}: {rejection.reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
