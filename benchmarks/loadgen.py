"""An open-loop, evenly paced HTTP/1.1 load generator for the serve benchmarks.

Why not `hey` or `wrk` (Debian's packages): both are *closed loop*. Each of their workers
sends a request, waits for the answer, then sends the next (hey's ``-q`` adds a per-worker
ticker). Two things go wrong at a fixed rate:

- **lockstep bursts**: hey's workers start together and their tickers tick together, so
  ``hey -c 50 -q 10`` does not send 500 requests/s evenly; it sends 50 at once every
  100 ms, and on a one-worker gateway the 50th waits for the 49 before it. What is then
  measured is the burst's queue, not the gateway;
- **coordinated omission** (Gil Tene's term, "How NOT to Measure Latency", 2015; the fix
  in wrk2 and vegeta): a worker stuck behind a slow answer does not send the requests that
  were due meanwhile, so the stall is counted once, not for every request it delayed, and
  the load quietly drops exactly when the server is slow.

This generator fixes both, the way wrk2 and vegeta do:

- request ``i`` is due at ``t0 + i / rate`` (``--arrivals constant``, the default) or at
  the ``i``-th arrival of a seeded Poisson process (``--arrivals poisson``: exponential
  gaps, the same schedule for the same seed);
- it is sent at its due time on an idle keep-alive connection, and when all are busy a
  new one is opened (open loop: a slow server never slows the schedule; past
  ``max_connections`` requests wait in order, and that wait is measured too);
- its latency runs from its **due time**, not from when it was actually written, to the
  last byte of the response (a whole body or an SSE stream's last chunk): any lateness of
  the generator, any wait for a connection and any queueing in the server are all in it.
  The time from the actual send (the "service time", what a closed-loop tool reports) is
  kept beside it.

It stays out of the way: one uvloop event loop, raw ``asyncio.Protocol`` connections with
httptools (llhttp) parsing the answers, the request's bytes encoded once, per-request
bookkeeping in flat lists, the garbage collector paused during the run (nothing here makes
cycles). It measures its own CPU time per request and prints it, and the lateness of its
sends; when the scheduler itself fell behind (more than 10 ms late) it warns, since then
the generator, not the server, may be what was measured.

Every scheduled request ends with a result: an HTTP status, or an error counted by kind
(``status``: a non-2xx answer; ``reset``: the connection closed before the answer ended;
``timeout``: no full answer within ``--timeout`` of the due time; ``connect``: no
connection; ``protocol``: an unparseable answer). None is dropped.

    python benchmarks/loadgen.py http://127.0.0.1:8080/healthz --rate 500 --duration 10
    python benchmarks/loadgen.py http://127.0.0.1:8080/v1/chat/completions --rate 200 \\
        --duration 5 -m POST -H 'Content-Type: application/json' -d '{"model": "m", ...}'
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import random
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import httptools
from loadgen_pacer import Pacer, pacer
from loadgen_result import ERROR_KINDS, NAN, Result, percentile, report

__all__ = ["ARRIVALS", "ERROR_KINDS", "Result", "percentile", "report", "run", "schedule"]

ARRIVALS = ("constant", "poisson")
# Idle connections are closed before the common 5 s server keep-alive closes them, so a
# request is never written to a socket the server is just closing.
IDLE_MAX_S = 4.0
SWEEP_S = 0.05  # how often timeouts and stale idle connections are looked for
START_DELAY_S = 0.005  # from the end of the set-up to the first due time


@dataclass(frozen=True)
class Target:
    """Where to connect and the exact bytes of the request, encoded once."""

    url: str
    host: str
    port: int
    request: bytes


def target(
    url: str, method: str = "GET", body: bytes = b"", headers: tuple[str, ...] = ()
) -> Target:
    """The request as bytes on the wire. Plain ``http://`` only: this measures servers on
    this machine, and TLS would be the generator's cost, not theirs."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"{url}: give a plain http://HOST[:PORT]/PATH URL (no TLS here)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method.upper()} {path} HTTP/1.1", f"Host: {parts.netloc}", *headers]
    if body or method.upper() in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return Target(url, parts.hostname, parts.port or 80, head + body)


def schedule(
    rate: float, duration: float, arrivals: str = "constant", seed: int = 0
) -> list[float]:
    """Due times in seconds after the start, every one before ``duration``: evenly spaced
    (``constant``: ``i / rate``) or a Poisson process of that mean rate, seeded."""
    if not (rate > 0 and duration > 0):
        raise ValueError("rate and duration must be positive")
    if arrivals == "constant":
        return [i / rate for i in range(math.ceil(rate * duration - 1e-9))]
    if arrivals != "poisson":
        raise ValueError(f"arrivals: one of {', '.join(ARRIVALS)}")
    rng = random.Random(seed)
    due: list[float] = []
    at = 0.0
    while at < duration:
        due.append(at)
        at += rng.expovariate(rate)
    return due


class _Connection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.current = -1  # index of the request in flight
        self.idle_since = 0.0
        self.headers_done = False
        self.framed = False  # Content-Length or chunked: else the body ends at close

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's: no subclass
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, index: int) -> None:
        assert self.transport is not None
        self.current = index
        self.headers_done = self.framed = False
        self.run.busy.add(self)
        self.run.sent[index] = time.perf_counter()
        self.transport.write(self.run.request)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self.fail("protocol")

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self.framed and name.lower() in (b"content-length", b"transfer-encoding"):
            self.framed = True

    def on_headers_complete(self) -> None:
        self.headers_done = True

    def on_message_complete(self) -> None:
        index = self.current
        if index < 0:
            return
        self.current = -1
        status = self.parser.get_status_code()
        self.run.finish(index, status, "" if 200 <= status < 300 else "status")
        if self.parser.should_keep_alive():
            self.run.release(self)
        else:
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.run.forget(self)
        index, self.current = self.current, -1
        if index >= 0:
            if self.headers_done and not self.framed:  # a body delimited by the close
                status = self.parser.get_status_code()
                self.run.finish(index, status, "" if 200 <= status < 300 else "status")
            else:
                self.run.finish(index, 0, "reset")
        # The parser holds this protocol (its callbacks): break the cycle, so a closed
        # connection is freed at once while the garbage collector is paused.
        del self.parser

    def fail(self, kind: str) -> None:
        """End the request in flight with an error and drop the connection at once."""
        index, self.current = self.current, -1
        if index >= 0:
            self.run.finish(index, 0, kind)
        self.run.forget(self)
        if self.transport is not None:
            self.transport.abort()

    def close(self) -> None:
        self.run.forget(self)
        if self.transport is not None:
            self.transport.close()


class _Run:
    """The state of one run: the schedule, the connections and every request's fate."""

    def __init__(
        self, target: Target, due: list[float], timeout: float, max_connections: int
    ) -> None:
        n = len(due)
        self.target = target
        self.request = target.request
        self.offsets = due
        self.timeout = timeout
        self.max_connections = max_connections
        self.due = [NAN] * n  # absolute perf_counter times, set at the start
        self.fired = [NAN] * n
        self.sent = [NAN] * n
        self.done = [NAN] * n
        self.status = [0] * n
        self.error = [""] * n
        self.ended = [False] * n
        self.idle: list[_Connection] = []  # last in, first out: the warmest first
        self.busy: set[_Connection] = set()
        self.pending: deque[int] = deque()  # due, waiting for a connection, in due order
        self.opening = 0
        self.opened = 0
        self.finished = 0
        self.next = 0  # the first request not yet due
        self.loop = asyncio.get_running_loop()
        self.pacer: Pacer
        self.all_done = self.loop.create_future()

    # -- connections --------------------------------------------------------------

    def open(self) -> None:
        self.opening += 1
        self.loop.create_task(self._open())

    async def _open(self) -> None:
        try:
            _, conn = await self.loop.create_connection(
                lambda: _Connection(self), self.target.host, self.target.port
            )
        except OSError:
            self.opening -= 1
            while self.pending:  # the request this connection was opened for
                index = self.pending.popleft()
                if not self.ended[index]:
                    self.finish(index, 0, "connect")
                    break
            return
        self.opening -= 1
        self.opened += 1
        self.release(conn)

    def release(self, conn: _Connection) -> None:
        """A connection is free: it takes the oldest waiting request, or goes idle."""
        if conn.transport is None:  # closed by the server before it was first used
            return
        while self.pending:
            index = self.pending.popleft()
            if not self.ended[index]:  # not timed out while waiting
                conn.send(index)
                return
        self.busy.discard(conn)
        conn.idle_since = time.perf_counter()
        self.idle.append(conn)

    def forget(self, conn: _Connection) -> None:
        self.busy.discard(conn)
        if conn in self.idle:
            self.idle.remove(conn)

    # -- requests -----------------------------------------------------------------

    def dispatch(self, index: int) -> None:
        """Request ``index`` is due: an idle connection sends it now; else it waits for
        the first free connection and a new one is opened (up to ``max_connections``)."""
        if self.idle:
            self.idle.pop().send(index)
            return
        self.pending.append(index)
        if self.opening + len(self.busy) < self.max_connections:
            self.open()

    def finish(self, index: int, status: int, error: str) -> None:
        """Request ``index`` ended: an answer (``status``; ``error`` "status" when not
        2xx) or ``status`` 0 and the error's kind. Only its first end counts."""
        if self.ended[index]:
            return  # a timeout racing an answer
        self.ended[index] = True
        if status:
            self.done[index] = time.perf_counter()
        self.status[index] = status
        self.error[index] = error
        self.finished += 1
        if self.finished == len(self.due) and not self.all_done.done():
            self.all_done.set_result(None)

    async def sweep(self) -> None:
        """Every 50 ms: time out requests (waiting or in flight) older than ``timeout``
        since their due time, and close connections idle for 4 s."""
        while True:
            await asyncio.sleep(SWEEP_S)
            now = time.perf_counter()
            expired = now - self.timeout
            while self.pending and self.due[self.pending[0]] <= expired:
                index = self.pending.popleft()
                if not self.ended[index]:
                    self.finish(index, 0, "timeout")
            for conn in [c for c in self.busy if c.current >= 0 and self.due[c.current] <= expired]:
                conn.fail("timeout")
            while self.idle and self.idle[0].idle_since < now - IDLE_MAX_S:
                self.idle[0].close()

    def tick(self) -> None:
        """The pacer fired: send every request now due, then wait for the next one."""
        perf = time.perf_counter
        due, index, n = self.due, self.next, len(self.due)
        now = perf()
        while index < n and due[index] <= now:
            self.fired[index] = now
            self.dispatch(index)
            index += 1
            now = perf()
        self.next = index
        if index < n:
            self.pacer.at(due[index])

    async def drive(self, connections: int) -> float:
        """Open ``connections`` ahead (waiting at most ``timeout`` for them), then send on
        schedule; returns the start time."""
        for _ in range(connections):
            self.open()
        ready_by = time.perf_counter() + self.timeout
        while self.opening and time.perf_counter() < ready_by:
            await asyncio.sleep(0.001)
        t0 = time.perf_counter() + START_DELAY_S
        self.due = [t0 + offset for offset in self.offsets]
        sweeper = self.loop.create_task(self.sweep())
        self.pacer = pacer(self.loop, self.tick)
        try:
            if self.due:
                self.pacer.at(self.due[0])
                await self.all_done
        finally:
            self.pacer.close()
            sweeper.cancel()
            for conn in [*self.idle, *self.busy]:
                conn.fail("reset")
        return t0


async def run_async(
    target: Target,
    due: list[float],
    *,
    arrivals: str = "constant",
    rate: float = NAN,
    timeout: float = 20.0,
    max_connections: int = 10_000,
    connections: int = 4,
) -> Result:
    """Send ``target``'s request at each of the ``due`` times (seconds after the start)
    on the running event loop; every request's fate in the result."""
    run = _Run(target, due, timeout, max_connections)
    gc_was_on = gc.isenabled()
    gc.disable()  # a collection is a pause of the scheduler; nothing here makes cycles
    cpu0, wall0 = time.process_time(), time.perf_counter()
    try:
        t0 = await run.drive(connections)
    finally:
        if gc_was_on:
            gc.enable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0

    def rel(times: list[float]) -> list[float]:
        return [t - t0 for t in times]

    duration = due[-1] if due else 0.0
    return Result(
        url=target.url,
        arrivals=arrivals,
        rate=rate if rate == rate else (len(due) / duration if duration else NAN),
        duration=duration,
        due=rel(run.due),
        fired=rel(run.fired),
        sent=rel(run.sent),
        done=rel(run.done),
        status=run.status,
        error=run.error,
        cpu_s=cpu,
        wall_s=wall,
        connections=run.opened,
    )


def run(
    url: str,
    *,
    rate: float,
    duration: float,
    method: str = "GET",
    body: bytes = b"",
    headers: tuple[str, ...] = (),
    arrivals: str = "constant",
    seed: int = 0,
    timeout: float = 20.0,
    max_connections: int = 10_000,
    connections: int = 4,
) -> Result:
    """One run on a fresh uvloop event loop in this thread: ``rate`` requests per second
    for ``duration`` seconds, paced (``constant``) or Poisson (``poisson``, seeded)."""
    import uvloop

    request = target(url, method, body, headers)
    due = schedule(rate, duration, arrivals, seed)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        result = runner.run(
            run_async(
                request, due, arrivals=arrivals, rate=rate, timeout=timeout,
                max_connections=max_connections, connections=connections,
            )
        )  # fmt: skip
    result.duration = duration
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="http://HOST[:PORT]/PATH")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of sending")
    parser.add_argument("--arrivals", choices=ARRIVALS, default="constant")
    parser.add_argument("--seed", type=int, default=0, help="the Poisson schedule's seed")
    parser.add_argument("-m", "--method", default="GET")
    parser.add_argument("-H", "--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("-d", "--data", default=None, help="the request body")
    parser.add_argument("--data-file", type=Path, default=None, help="the body from a file")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds from due time")
    parser.add_argument("--max-connections", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=4, help="opened before the start")
    parser.add_argument("--json", type=Path, default=None, help="write every request's times")
    args = parser.parse_args(argv)
    body = args.data_file.read_bytes() if args.data_file else (args.data or "").encode()
    try:
        result = run(
            args.url, rate=args.rate, duration=args.duration, method=args.method, body=body,
            headers=tuple(args.header), arrivals=args.arrivals, seed=args.seed,
            timeout=args.timeout, max_connections=args.max_connections,
            connections=args.connections,
        )  # fmt: skip
    except (ValueError, OSError) as exc:
        print(f"loadgen: {exc}", file=sys.stderr)
        return 2
    print(report(result))
    warning = result.behind_warning()
    if warning:
        print(warning, file=sys.stderr)
    if args.json:
        fields = ("due", "fired", "sent", "done", "status", "error")
        records = {name: getattr(result, name) for name in fields}
        args.json.write_text(json.dumps({"summary": result.summary(), "requests": records}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
