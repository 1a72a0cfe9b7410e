"""The call log, kept off the request path and off the serving process's GIL.

A request hands its call to ``submit_call`` -- an append of a tuple to a deque, nothing
more (no lock, no thread woken) -- and moves on. A sender thread wakes every
``SEND_INTERVAL_S`` (sooner once ``batch`` calls wait, on ``flush`` and ``close``), turns
what is queued into flat tuples of plain values (``call_log.call_fields``: ~2 us a call,
in slices of ``SLICE`` with the GIL let go between them) and writes them, ``marshal``ed,
to the pipe of a child process (``log_process``) that owns the log file: it builds the
rows and inserts them every ``interval_s``, one transaction per ``batch``, and
acknowledges each write. Why: in this process, building and inserting ~2,500 rows every
5 s held the GIL for ~100 ms at a time, and every request in flight waited for it
(docs/serve.md has the measurements); the queued calls' objects also piled up between
writes and set off young-generation collections of tens of milliseconds.

One child per worker keeps DuckDB's one-writer rule: with several workers each writes its
own file (``calls-<worker>.duckdb`` in the log folder), combined later by ``routr db
merge``. ``close`` (SIGTERM: after in-flight requests finished) sends what is queued,
ends the child's input and waits until it has written everything and exited. If the
child dies (killed, out of memory), the calls it had not acknowledged are counted in
``dropped`` and logged as lost, and a new child takes over; a full queue (the disk cannot
keep up) also drops the call and counts it rather than stall requests. ``/metrics``
shows ``written`` (acknowledged by the child) and ``dropped``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from routr_cli.errors import StoreError
from routr_cli.serve.log_process import CALL, FEEDBACK, RECORD, SYNC, frame

if TYPE_CHECKING:
    from routr_cli.router.executor import CallResult
    from routr_cli.router.policy import Decision

log = logging.getLogger("routr.serve")

RECENT_CALLS = 100_000  # call ids remembered for POST /v1/feedback
SEND_INTERVAL_S = 0.1  # how long a call waits in this process (and its objects live)
SLICE = 64  # calls turned into tuples per hold of the GIL (~0.15 ms)
MAX_DEATHS = 3  # call-log processes dying within a minute before the log gives up


_CALL_ID = re.compile(r"call-[0-9a-f]{1,16}")


def _call_number(call_id: str) -> int | None:
    """``call-`` + hex digits (``router.call_log.new_call_id``) as a number, one to one
    (the digit count is part of it); None for anything else (no call of this writer)."""
    if not _CALL_ID.fullmatch(call_id):
        return None
    return int(call_id[5:], 16) * 32 + len(call_id)


class _Child:
    """One call-log process and what it has not acknowledged yet."""

    def __init__(self, path: Path, batch: int, interval_s: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "routr_cli.serve.log_process", str(path), str(batch),
             str(interval_s)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout
        self.unacked: dict[int, int] = {}  # frame seq -> calls in it
        self.written = self.lost = self.failed = 0  # the child's own running totals

    def wait_ready(self) -> None:
        line = self.stdout.readline().decode(errors="replace").strip()
        if line == "ready":
            return
        self.proc.wait(10)
        if line.startswith("error "):
            raise StoreError(line[len("error ") :])
        raise StoreError(
            f"the call-log process did not start (exit {self.proc.returncode}): see the "
            "lines above, and check --log-dir"
        )


class CallLogWriter:
    def __init__(
        self, path: Path, *, batch: int = 4096, interval_s: float = 5.0, capacity: int = 100_000
    ) -> None:
        self.path = Path(path)
        self.batch = batch
        self.interval_s = interval_s
        self.capacity = capacity
        self.dropped = 0
        self.failed_batches = 0
        self.restarts = 0
        # deque appends and pops are atomic: the request path takes no lock and wakes no
        # thread (a queue.Queue's put notifies a waiting getter: a thread switch per call).
        self._items: deque[tuple[Any, ...]] = deque()
        self._wake = threading.Event()
        self._stopping = False
        self._broken = False  # children kept dying: calls are dropped (and counted)
        self._deaths: deque[float] = deque()  # when children died, the last few
        # The call ids served lately, as numbers (half the memory of the strings in an
        # ordered dict: the soak's memory drift counts it until the window is full).
        self._recent: set[int] = set()
        self._recent_order: deque[int] = deque()
        self._lock = threading.Lock()  # the child's acknowledgements (background threads)
        self._acked = threading.Condition(self._lock)
        self._seq = 0
        self._base_written = 0  # written by children that have ended
        self._syncs_asked = 0
        self._syncs_done = 0
        self._sync_frames: dict[int, int] = {}  # sync frame seq -> flush number it answers
        self._child: _Child | None = None
        self._reader: threading.Thread | None = None
        self._thread = threading.Thread(target=self._run, name="routr-call-log", daemon=True)

    @property
    def written(self) -> int:
        child = self._child
        return self._base_written + (child.written if child else 0)

    def start(self) -> None:
        self._start_child()
        self._thread.start()

    def _start_child(self) -> None:
        child = _Child(self.path, self.batch, self.interval_s)
        try:
            child.wait_ready()
        except BaseException:
            if child.proc.poll() is None:
                child.proc.kill()
            raise
        self._child = child
        self._reader = threading.Thread(
            target=self._read_acks, args=(child,), name="routr-call-log-acks", daemon=True
        )
        self._reader.start()

    def _put(self, item: tuple[Any, ...]) -> None:
        items = self._items
        if len(items) >= self.capacity or self._broken:
            self.dropped += 1
            return
        items.append(item)
        if len(items) == self.batch:
            self._wake.set()

    def submit(self, record: Any) -> None:
        """A ready ``CallRecord`` (``submit_call`` is what serve's requests use)."""
        from routr_cli.router.call_log import micros

        self._remember(record.id)
        values = [getattr(record, name) for name in record.__dataclass_fields__]
        values[1] = micros(values[1])
        self._put((RECORD, *values))

    def submit_call(
        self, call_id: str, decision: Decision, result: CallResult, *, streamed: bool,
        messages: Sequence[tuple[str, str]] | None,
    ) -> None:  # fmt: skip
        self._remember(call_id)
        self._put((CALL, call_id, decision, result, streamed, messages, time.time_ns() // 1000))

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
        self._put((FEEDBACK, call_id, outcome))

    def flush(self, timeout: float = 30.0) -> bool:
        """Write what is queued now and wait until the child has written it (benchmarks
        call it between runs so one run's log writes are not billed to the next)."""
        if not self._thread.is_alive():
            return not self._items
        with self._lock:
            self._syncs_asked += 1
            wanted = self._syncs_asked
        self._wake.set()
        with self._acked:
            return self._acked.wait_for(lambda: self._syncs_done >= wanted, timeout)

    def close(self, timeout: float = 30.0) -> None:
        if self._thread.is_alive():
            self._stopping = True
            self._wake.set()
            self._thread.join(timeout)

    # -- the sender thread ------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._wake.wait(SEND_INTERVAL_S)
            self._wake.clear()
            stopping = self._stopping
            child = self._child
            if child is not None and not self._broken and child.proc.poll() is not None:
                self._replace(child)  # died while idle: reported now, not at the next send
            self._send_pending()
            with self._lock:
                sync = self._syncs_asked > max(self._sync_frames.values(), default=self._syncs_done)
                wanted = self._syncs_asked
            if sync:
                self._send([], wanted)
            if stopping:
                self._end_child(self._child, timeout=30.0)
                return

    def _send_pending(self) -> None:
        from routr_cli.router.call_log import call_fields

        items = self._items
        while items:
            out: list[tuple[Any, ...]] = []
            while items and len(out) < SLICE:
                item = items.popleft()
                if item[0] == CALL:
                    _, call_id, decision, result, streamed, messages, created_us = item
                    fields = call_fields(
                        call_id, decision, result, source="serve", streamed=streamed,
                        conversation_id=call_id, messages=messages, created_us=created_us,
                    )  # fmt: skip
                    item = (CALL, *fields)
                out.append(item)
            self._send(out)
            time.sleep(0)  # let the event loop have the GIL between slices

    def _send(self, items: list[tuple[Any, ...]], sync_for: int = 0) -> None:
        """One frame to the child (a sync frame when ``sync_for``); a dead child is
        replaced (its unacknowledged calls counted as dropped) and the frame resent."""
        calls = sum(1 for item in items if item[0] != FEEDBACK)
        for _ in range(2):
            child = self._child
            if child is None or self._broken:
                self.dropped += calls
                with self._acked:  # nothing will be written: a flush waits for nothing
                    self._syncs_done = max(self._syncs_done, sync_for)
                    self._acked.notify_all()
                return
            with self._lock:
                self._seq += 1
                seq = self._seq
                if sync_for:
                    self._sync_frames[seq] = sync_for
                else:
                    child.unacked[seq] = calls
            try:
                child.stdin.write(frame(seq, SYNC if sync_for else items))
                child.stdin.flush()
                return
            except (BrokenPipeError, OSError, ValueError):
                self._replace(child)
        self.dropped += calls

    def _replace(self, child: _Child) -> None:
        """The child died: report what it took with it and start another -- unless
        children keep dying (``MAX_DEATHS`` within a minute: a crash loop would only burn
        CPU), then drop and count every call from now on."""
        self._end_child(child, timeout=5.0)
        now = time.monotonic()
        self._deaths.append(now)
        while self._deaths and self._deaths[0] < now - 60:
            self._deaths.popleft()
        if len(self._deaths) >= MAX_DEATHS:
            self._broken = True
            log.error(
                "routr serve: the call-log process for %s died %d times within a minute: "
                "calls from now on are dropped (routr_call_log_dropped_total)",
                self.path, len(self._deaths),
            )  # fmt: skip
            return
        try:
            self._start_child()
            self.restarts += 1
        except Exception:
            self._broken = True
            log.exception("routr serve: could not restart the call-log process for %s", self.path)

    def _end_child(self, child: _Child | None, timeout: float) -> None:
        """End the child's input, wait for its last acknowledgement and exit; whatever it
        did not acknowledge is lost and counted."""
        if child is None:
            return
        with contextlib.suppress(OSError):
            child.stdin.close()
        try:
            child.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            child.proc.kill()
            child.proc.wait()
        reader = self._reader
        if reader is not None:
            reader.join(timeout)
        with self._acked:
            lost = sum(child.unacked.values())
            child.unacked.clear()
            self._base_written += child.written
            child.written = 0
            self._sync_frames.clear()  # nobody will answer them: let flush() return
            self._syncs_done = self._syncs_asked
            self._acked.notify_all()
        self.dropped += lost
        if lost or child.proc.returncode:
            log.error(
                "routr serve: the call-log process for %s ended with exit %s; %d calls it "
                "had not written are lost (counted in routr_call_log_dropped_total)",
                self.path, child.proc.returncode, lost,
            )  # fmt: skip

    def _read_acks(self, child: _Child) -> None:
        """``ack SEQ WRITTEN LOST FAILED`` lines, until the child's output ends."""
        for line in child.stdout:
            parts = line.split()
            if len(parts) != 5 or parts[0] != b"ack":
                continue
            seq, written, lost, failed = (int(p) for p in parts[1:])
            with self._acked:
                for done in [s for s in child.unacked if s <= seq]:
                    del child.unacked[done]
                self.dropped += lost - child.lost
                self.failed_batches += failed - child.failed
                child.written, child.lost, child.failed = written, lost, failed
                for done in [s for s in self._sync_frames if s <= seq]:
                    self._syncs_done = max(self._syncs_done, self._sync_frames.pop(done))
                self._acked.notify_all()
        self._wake.set()  # the output ended: if the child died, the sender sees it now
