"""The call-log process: owns a worker's log file and does the writing, away from its GIL.

`routr serve`'s worker (``log_writer.CallLogWriter``) starts one of these per log file
(``python -m routr_cli.serve.log_process PATH BATCH INTERVAL_S``) and sends it frames on
its stdin: a 4-byte big-endian length, then ``marshal`` of ``(seq, items)`` where each
item is ``(CALL, *call_fields)``, ``(RECORD, *CallRecord fields)`` or ``(FEEDBACK,
call_id, outcome)``, in the order the worker saw them; ``items`` is ``SYNC`` to ask for
everything received to be written now. This process builds the rows
(``call_log.record_from_fields``) and writes what arrived every ``INTERVAL_S`` (sooner
once ``BATCH`` calls wait, on a sync, and at the end of its input), one transaction per
``BATCH``, opening the file only while it writes (so ``routr calls list`` can read it in
between), and answers each write with a line on stdout: ``ack SEQ WRITTEN LOST FAILED``
(the last frame fully handled, and running totals). Why a process: building and
inserting ~2,500 rows every 5 s is ~100 ms of Python under the serving process's GIL,
a stall for every request in flight (docs/serve.md).

It runs at a lower priority (nice 10) with DuckDB on one thread: when the cores are busy,
the server's requests go first. It ignores SIGINT and SIGTERM (a Ctrl-C reaches the whole process group; the worker is
the one that decides when the log ends): it stops at the end of its input, after writing
what it holds -- which is also what happens if the worker dies, whatever killed it.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import select
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

CALL, RECORD, FEEDBACK = 0, 1, 2
SYNC = "sync"
HEADER = 4

log = logging.getLogger("routr.serve")

_EPOCH = datetime(1970, 1, 1)


def frame(seq: int, items: list[tuple[Any, ...]] | str) -> bytes:
    body = marshal.dumps((seq, items))
    return len(body).to_bytes(HEADER, "big") + body


def _record(item: tuple[Any, ...]) -> Any:
    from routr_cli.router.call_log import CallRecord, record_from_fields

    if item[0] == CALL:
        return record_from_fields(item[1:])
    values = list(item[1:])
    values[1] = _EPOCH + timedelta(microseconds=values[1])
    return CallRecord(*values)


class LogFile:
    """What this process has received and not yet written, and the writing of it."""

    def __init__(self, path: str, batch: int) -> None:
        self.path = path
        self.batch = batch
        self.pending: list[tuple[Any, ...]] = []
        self.written = 0
        self.lost = 0
        self.failed = 0

    def calls_pending(self) -> int:
        return sum(1 for item in self.pending if item[0] != FEEDBACK)

    def write(self) -> bool:
        """Write everything pending; False (pending kept) when the file cannot be opened."""
        from routr_cli.errors import RoutrError
        from routr_cli.router.call_log import set_feedback, write_calls
        from routr_cli.store import Store

        if not self.pending:
            return True
        try:
            store = Store.open(Path(self.path))
        except Exception:
            self.failed += 1
            log.exception("routr serve: could not open the call log %s (will retry)", self.path)
            return False
        with store:
            # one core: a batch must not take both of a small machine's cores from the server
            store.con.execute("SET threads = 1")
            items, self.pending = self.pending, []
            for start in range(0, len(items), self.batch):
                chunk = items[start : start + self.batch]
                calls = [item for item in chunk if item[0] != FEEDBACK]
                try:
                    if calls:
                        write_calls(store, [_record(item) for item in calls])
                    self.written += len(calls)
                except Exception:
                    self.failed += 1
                    self.lost += len(calls)
                    log.exception("routr serve: could not write %d calls to %s", len(calls),
                                  self.path)  # fmt: skip
                for item in chunk:
                    if item[0] == FEEDBACK:
                        try:
                            set_feedback(store, item[1], item[2])
                        except RoutrError as exc:  # e.g. a call that was not answered
                            log.warning("routr serve: feedback for %s not recorded: %s",
                                        item[1], exc)  # fmt: skip
        return True


def serve(path: str, batch: int, interval_s: float) -> int:
    from routr_cli.errors import RoutrError
    from routr_cli.store import Store

    out = sys.stdout.buffer
    try:
        Store.open(Path(path)).close()  # create and migrate now: a bad path fails the start-up
    except RoutrError as exc:
        out.write(f"error {exc}\n".encode())
        out.flush()
        return 1
    out.write(b"ready\n")
    out.flush()
    logfile = LogFile(path, batch)
    buffer = bytearray()
    received = 0  # the last frame's seq
    first_at: float | None = None  # when the oldest pending item arrived
    ended = False
    while not ended:
        wait = None if first_at is None else max(0.0, first_at + interval_s - time.monotonic())
        ready, _, _ = select.select([0], [], [], wait)
        sync = False
        if ready:
            chunk = os.read(0, 1 << 20)
            if not chunk:
                ended = True
            buffer += chunk
            while len(buffer) >= HEADER:
                size = int.from_bytes(buffer[:HEADER], "big")
                if len(buffer) < HEADER + size:
                    break
                seq, items = marshal.loads(bytes(buffer[HEADER : HEADER + size]))
                del buffer[: HEADER + size]
                received = seq
                if items == SYNC:
                    sync = True
                    continue
                if items and first_at is None:
                    first_at = time.monotonic()
                logfile.pending.extend(items)
        due = first_at is not None and time.monotonic() >= first_at + interval_s
        if not (ended or sync or due or logfile.calls_pending() >= batch):
            continue
        attempts = 3 if ended else 1
        while attempts and not logfile.write():
            attempts -= 1
            if attempts:
                time.sleep(1.0)
        if logfile.pending:  # the file could not be opened: try again after the interval
            if ended:
                logfile.lost += logfile.calls_pending()
                logfile.pending = []
            else:
                first_at = time.monotonic()
                continue
        first_at = None
        out.write(f"ack {received} {logfile.written} {logfile.lost} {logfile.failed}\n".encode())
        out.flush()
    return 0


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(10)  # background work: when the cores are busy, the server's requests go first
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    path, batch, interval_s = argv
    return serve(path, int(batch), float(interval_s))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
