"""The call log, kept off the request path: a queue and one writer thread.

A request hands its call to ``submit_call`` -- an append to a deque, nothing more: the
``CallRecord`` (JSON of its attempts and candidates) is built by the writer thread -- and
moves on. The thread wakes every ``interval_s`` (sooner once ``batch`` calls are waiting,
or on ``close``) and writes what is queued -- opening the store once, one transaction per
``batch`` -- with the router's ``write_calls``. It is the only process-local writer of its file, which keeps
DuckDB's one-writer rule: with several workers each writes its own file
(``calls-<worker>.duckdb`` in the log folder), combined later by ``routr db merge``.

``close`` flushes what is queued and stops the thread (SIGTERM: after in-flight requests
finished). A full queue (the disk cannot keep up) drops the call and counts it in
``dropped`` rather than stall requests; ``/metrics`` shows the count.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routr_cli.router.executor import CallResult
    from routr_cli.router.policy import Decision

log = logging.getLogger("routr.serve")

RECENT_CALLS = 100_000  # call ids remembered for POST /v1/feedback


_CALL_ID = re.compile(r"call-[0-9a-f]{1,16}")


def _call_number(call_id: str) -> int | None:
    """``call-`` + hex digits (``router.call_log.new_call_id``) as a number, one to one
    (the digit count is part of it); None for anything else (no call of this writer)."""
    if not _CALL_ID.fullmatch(call_id):
        return None
    return int(call_id[5:], 16) * 32 + len(call_id)


class _Feedback:
    def __init__(self, call_id: str, outcome: str) -> None:
        self.call_id = call_id
        self.outcome = outcome


class _PendingCall:
    """What ``record_for`` needs, captured on the request path; built in the thread."""

    __slots__ = ("call_id", "created_at", "decision", "messages", "result", "streamed")

    def __init__(
        self, call_id: str, decision: Decision, result: CallResult, streamed: bool,
        messages: Sequence[tuple[str, str]] | None,
    ) -> None:  # fmt: skip
        self.call_id = call_id
        self.decision = decision
        self.result = result
        self.streamed = streamed
        self.messages = messages
        self.created_at = datetime.now(UTC).replace(tzinfo=None)

    def record(self) -> Any:
        from routr_cli.router.call_log import record_for

        return record_for(
            self.call_id, self.decision, self.result, source="serve", streamed=self.streamed,
            conversation_id=self.call_id, messages=self.messages, created_at=self.created_at,
        )  # fmt: skip


class CallLogWriter:
    def __init__(
        self, path: Path, *, batch: int = 4096, interval_s: float = 5.0, capacity: int = 100_000
    ) -> None:
        self.path = Path(path)
        self.batch = batch
        self.interval_s = interval_s
        self.capacity = capacity
        self.written = 0
        self.dropped = 0
        self.failed_batches = 0
        # deque appends and pops are atomic: the request path takes no lock and wakes no
        # thread (a queue.Queue's put notifies a waiting getter: a thread switch per call).
        self._items: deque[Any] = deque()
        self._wake = threading.Event()
        self._idle = threading.Event()  # set after each pass that found nothing left
        self._stopping = False
        # The call ids served lately, as numbers (half the memory of the strings in an
        # ordered dict: the soak's memory drift counts it until the window is full).
        self._recent: set[int] = set()
        self._recent_order: deque[int] = deque()
        self._thread = threading.Thread(target=self._run, name="routr-call-log", daemon=True)

    def start(self) -> None:
        from routr_cli.store import Store

        with Store.open(self.path):  # create and migrate now: a bad path fails at start-up
            pass
        self._thread.start()

    def _put(self, item: Any) -> None:
        items = self._items
        if len(items) >= self.capacity:
            self.dropped += 1
            return
        items.append(item)
        if len(items) == self.batch:
            self._wake.set()

    def submit(self, record: Any) -> None:
        """A ready ``CallRecord`` (``submit_call`` builds it in the thread instead)."""
        self._remember(record.id)
        self._put(record)

    def submit_call(
        self, call_id: str, decision: Decision, result: CallResult, *, streamed: bool,
        messages: Sequence[tuple[str, str]] | None,
    ) -> None:  # fmt: skip
        self._remember(call_id)
        self._put(_PendingCall(call_id, decision, result, streamed, messages))

    def _remember(self, call_id: str) -> None:
        number = _call_number(call_id)
        if number is None or number in self._recent:
            return
        self._recent.add(number)
        self._recent_order.append(number)
        if len(self._recent_order) > RECENT_CALLS:
            self._recent.discard(self._recent_order.popleft())

    def knows(self, call_id: str) -> bool:
        """Did this writer log ``call_id`` (recently)? Feedback for it can be recorded."""
        number = _call_number(call_id)
        return number is not None and number in self._recent

    def submit_feedback(self, call_id: str, outcome: str) -> None:
        """Queued behind the call's own record, so it always finds the row."""
        self._put(_Feedback(call_id, outcome))

    def close(self, timeout: float = 30.0) -> None:
        if self._thread.is_alive():
            self._stopping = True
            self._wake.set()
            self._thread.join(timeout)

    def _run(self) -> None:
        """Batch by time, not by arrival. Opening and closing the store costs ~40 ms of CPU
        (held under the GIL the event loop needs) and a row ~50 us in a batch of 500 but
        ~20 us in one of 2,000: at 500 requests/s, waking every second cost ~130 us of CPU
        per call, every 5 s ~40 us. (Writing whatever had arrived the moment the thread
        woke gave batches of one or two: ~1.5 ms per call.)"""
        while True:
            self._wake.wait(self.interval_s)
            self._wake.clear()
            stopping = self._stopping
            if self._items:
                self._write_pending()
            if not self._items:
                self._idle.set()
            if stopping:
                return

    def flush(self, timeout: float = 30.0) -> bool:
        """Write what is queued now and wait until it is written (benchmarks call it
        between runs so one run's log writes are not billed to the next)."""
        if not self._thread.is_alive():
            return not self._items
        self._idle.clear()
        self._wake.set()
        return self._idle.wait(timeout)

    def _write_pending(self) -> None:
        from routr_cli.router.call_log import set_feedback, write_calls
        from routr_cli.store import Store

        items = self._items
        try:
            with Store.open(self.path) as store:
                while items:
                    records: list[Any] = []
                    while items and len(records) < self.batch:
                        records.append(items.popleft())
                    calls = [
                        r.record() if isinstance(r, _PendingCall) else r
                        for r in records
                        if not isinstance(r, _Feedback)
                    ]
                    if calls:
                        write_calls(store, calls)
                    for item in records:
                        if isinstance(item, _Feedback):
                            set_feedback(store, item.call_id, item.outcome)
                    self.written += len(calls)
        except Exception:
            self.failed_batches += 1
            log.exception("routr serve: could not write calls to %s", self.path)
