"""The call log, kept off the request path: a queue and one writer thread.

A request hands its ``CallRecord`` to ``submit`` (a non-blocking ``put``) and moves on.
The writer thread drains the queue in batches (up to ``batch`` records, or what came within
``interval_s`` of a batch's first record) and writes each batch in one transaction with the router's
``write_calls``. It is the only process-local writer of its file, which keeps DuckDB's
one-writer rule: with several workers each writes its own file
(``calls-<worker>.duckdb`` in the log folder), combined later by ``routr db merge``.

``close`` flushes what is queued and stops the thread (SIGTERM: after in-flight requests
finished). A full queue (the disk cannot keep up) drops the record and counts it in
``dropped`` rather than stall requests; ``/metrics`` shows the count.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

log = logging.getLogger("routr.serve")

_STOP = object()
RECENT_CALLS = 100_000  # call ids remembered for POST /v1/feedback


class _Feedback:
    def __init__(self, call_id: str, outcome: str) -> None:
        self.call_id = call_id
        self.outcome = outcome


class CallLogWriter:
    def __init__(
        self, path: Path, *, batch: int = 2048, interval_s: float = 1.0, capacity: int = 100_000
    ) -> None:
        self.path = Path(path)
        self.batch = batch
        self.interval_s = interval_s
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=capacity)
        self.written = 0
        self.dropped = 0
        self.failed_batches = 0
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._thread = threading.Thread(target=self._run, name="routr-call-log", daemon=True)

    def start(self) -> None:
        from routr_cli.store import Store

        with Store.open(self.path):  # create and migrate now: a bad path fails at start-up
            pass
        self._thread.start()

    def submit(self, record: Any) -> None:
        self._recent[record.id] = None
        if len(self._recent) > RECENT_CALLS:
            self._recent.popitem(last=False)
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            self.dropped += 1

    def knows(self, call_id: str) -> bool:
        """Did this writer log ``call_id`` (recently)? Feedback for it can be recorded."""
        return call_id in self._recent

    def submit_feedback(self, call_id: str, outcome: str) -> None:
        """Queued behind the call's own record, so it always finds the row."""
        try:
            self.queue.put_nowait(_Feedback(call_id, outcome))
        except queue.Full:
            self.dropped += 1

    def close(self, timeout: float = 30.0) -> None:
        if self._thread.is_alive():
            self.queue.put(_STOP)
            self._thread.join(timeout)

    def _run(self) -> None:
        """Batch by time, not by arrival: opening the store costs ~40 ms of CPU (held under
        the GIL the event loop needs), so a batch waits up to ``interval_s`` after its first
        record for more (or until ``batch`` are in). Writing whatever had arrived the moment
        the thread woke gave batches of one or two records at 500 requests/s: ~1.5 ms of CPU
        per request, more than the rest of the request path."""
        stopping = False
        while not stopping:
            try:
                item = self.queue.get(timeout=self.interval_s)
            except queue.Empty:
                continue
            records: list[Any] = []
            due = time.monotonic() + self.interval_s
            while True:
                if item is _STOP:
                    stopping = True
                    break
                records.append(item)
                if len(records) >= self.batch:
                    break
                left = due - time.monotonic()
                try:
                    item = self.queue.get(timeout=left) if left > 0 else self.queue.get_nowait()
                except queue.Empty:
                    break
            if records:
                self._write(records)

    def _write(self, records: list[Any]) -> None:
        from routr_cli.router.call_log import set_feedback, write_calls
        from routr_cli.store import Store

        calls = [r for r in records if not isinstance(r, _Feedback)]
        try:
            with Store.open(self.path) as store:
                if calls:
                    write_calls(store, calls)
                for item in records:
                    if isinstance(item, _Feedback):
                        set_feedback(store, item.call_id, item.outcome)
            self.written += len(calls)
        except Exception:
            self.failed_batches += 1
            log.exception("routr serve: could not write %d calls to %s", len(records), self.path)
