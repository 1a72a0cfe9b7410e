"""Write daily totals as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from etl.schema import DailyTotal

OUTPUT_COLUMNS = ("day", "currency", "revenue", "orders")


def write_totals(totals: Iterable[DailyTotal], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for total in totals:
            revenue = total.revenue.quantize(Decimal("0.01"))
            writer.writerow([total.day.isoformat(), total.currency, f"{revenue}", total.orders])
