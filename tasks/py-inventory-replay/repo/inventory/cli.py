"""Print a stock snapshot as CSV: ``python -m inventory.cli FEED --as-of TS``."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from datetime import datetime, timezone

from inventory.events import FeedError, load_events
from inventory.snapshot import snapshot


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inventory")
    parser.add_argument("feed")
    parser.add_argument("--as-of", required=True, help="ISO 8601 timestamp")
    args = parser.parse_args(argv)
    as_of = datetime.fromisoformat(args.as_of.replace("Z", "+00:00"))
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=timezone.utc)
    try:
        snap = snapshot(load_events(args.feed), as_of)
    except FeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["warehouse", "sku", "on_hand"])
    for (warehouse, sku), qty in snap.on_hand.items():
        writer.writerow([warehouse, sku, qty])
    for sku, qty in snap.in_transit.items():
        writer.writerow(["IN-TRANSIT", sku, qty])
    for event_id in snap.anomalies:
        print(f"anomaly: {event_id}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
