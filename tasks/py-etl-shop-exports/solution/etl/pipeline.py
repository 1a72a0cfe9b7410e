"""Run the whole job: extract -> transform -> aggregate -> load."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from etl.aggregate import daily_totals
from etl.extract import read_rows
from etl.load import write_totals
from etl.schema import Order, Rejection, RunReport
from etl.transform import RowError, to_order


def run(inputs: Sequence[Path], output: Path | None = None) -> RunReport:
    """Process ``inputs`` in the given order; write the totals CSV if ``output`` is set.

    An order re-exported in several files counts once: the version with the latest
    ``updated_at`` wins, and on a tie the one read last (later file, later line).
    """
    report = RunReport()
    latest: dict[str, Order] = {}
    for path in inputs:
        for row in read_rows(Path(path)):
            report.rows_read += 1
            try:
                order = to_order(row)
            except RowError as exc:
                report.rejected.append(Rejection(row.source, row.line, str(exc)))
                continue
            current = latest.get(order.order_id)
            if current is None or order.updated_at >= current.updated_at:
                latest[order.order_id] = order
    orders: list[Order] = list(latest.values())
    report.orders_used = len(orders)
    report.totals = daily_totals(orders)
    if output is not None:
        write_totals(report.totals, Path(output))
    return report
