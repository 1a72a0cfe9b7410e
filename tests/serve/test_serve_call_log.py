"""The call log's two write paths (a statement per row for `routr call`, one DataFrame
scan for serve's batches) store the same rows; the writer thread drains, batches and
keeps feedback behind its call."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from routr_cli.router.call_log import BULK_ROWS, CallRecord, get_call, write_calls
from routr_cli.serve.log_writer import CallLogWriter
from routr_cli.store import Store


def record(i: int) -> CallRecord:
    return CallRecord(
        id=f"call-{i:04d}", created_at=datetime(2026, 11, 1, 12, 0, i % 60), source="serve",
        objective="auto", category="concurrency", categories={"concurrency": 0.75, "bugfix": 0.25},
        language="go" if i % 2 else None, candidates=[{"model": "sim/frontier"}],
        served_model=None if i % 3 == 0 else "sim/frontier", simulated=True,
        status="error" if i % 3 == 0 else "ok", error_class="ProviderError" if i % 3 == 0 else None,
        error_message="boom" if i % 3 == 0 else None, attempts=[{"model": "sim/frontier"}],
        input_tokens=100 + i, output_tokens=i, cost_usd=None if i % 4 == 0 else 0.001 * i,
        latency_s=0.5, ttft_s=None if i % 2 else 0.1, streamed=bool(i % 2),
        conversation_id=f"call-{i:04d}", prompt=[{"role": "user", "content": "hi"}] if i == 5 else None,
        answer="hello" if i == 5 else None,
    )  # fmt: skip


def stored(db: Path, ids: list[str]) -> list[dict[str, Any]]:
    with Store.open(db, read_only=True) as store:
        return [get_call(store, call_id) for call_id in ids]


def test_bulk_and_per_row_writes_store_the_same_rows(tmp_path: Path) -> None:
    records = [record(i) for i in range(BULK_ROWS + 4)]
    with Store.open(tmp_path / "bulk.duckdb") as store:
        write_calls(store, records)  # one batch: the DataFrame path
    with Store.open(tmp_path / "rows.duckdb") as store:
        for one in records:
            write_calls(store, [one])  # the per-row path
    ids = [r.id for r in records]
    assert stored(tmp_path / "bulk.duckdb", ids) == stored(tmp_path / "rows.duckdb", ids)


def test_the_writer_drains_in_batches_and_keeps_feedback_behind_its_call(tmp_path: Path) -> None:
    writer = CallLogWriter(tmp_path / "calls.duckdb", batch=8, interval_s=0.05)
    writer.start()
    for i in range(30):
        writer.submit(record(i))
    writer.submit_feedback("call-0007", "fail")
    assert writer.knows("call-0007") and not writer.knows("nope")
    time.sleep(0.3)  # a reader can open the file between batches
    writer.close()
    assert writer.written == 30 and writer.dropped == 0 and writer.failed_batches == 0
    (fed,) = stored(tmp_path / "calls.duckdb", ["call-0007"])
    assert fed["feedback"] == "fail"


def test_records_trickling_in_are_written_in_one_batch(tmp_path: Path) -> None:
    """Opening the store costs ~40 ms of CPU: records arriving one by one (as at a steady
    request rate) wait up to ``interval_s`` for company instead of a store opening each."""
    writer = CallLogWriter(tmp_path / "calls.duckdb", batch=1000, interval_s=5.0)
    writer.start()
    for i in range(20):
        writer.submit(record(i))
        time.sleep(0.01)
    time.sleep(0.3)  # sent to the log process, which waits for more
    assert writer.written == 0
    writer.close()  # ends the wait: what is queued is written now
    assert writer.written == 20 and writer.dropped == 0
