"""benchmarks/loadgen.py against a tiny local server (tests/benchmarks/loadgen_server.py,
its own process): pacing, latency from the due time, errors counted, the CLI; and its
parts, loadgen_pacer.py (the clock) and loadgen_result.py (the figures).

Each case sends for a second or less, so the whole file takes a few seconds.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from routr_cli.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))

import loadgen
import loadgen_pacer

SERVER = Path(__file__).with_name("loadgen_server.py")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(SERVER)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def arrivals(base: str) -> list[float]:
    """The server's arrival times since the last call (CLOCK_MONOTONIC), sorted."""
    with urllib.request.urlopen(base + "/arrivals", timeout=10) as answer:
        return sorted(json.loads(answer.read()))


def typical_crowd(times: list[float], window: float = 0.02) -> float:
    """The median, over requests, of how many arrived within ``window`` around each one:
    ~2-3 when paced every 10 ms, the burst's size when sent in bursts. A median, so one
    stall of the shared machine (which bunches a few requests) does not decide it."""
    return statistics.median(
        bisect.bisect_right(times, t + window / 2) - bisect.bisect_left(times, t - window / 2)
        for t in times
    )


def test_constant_pacing_spreads_requests_where_hey_sends_bursts(server: str) -> None:
    arrivals(server)
    result = loadgen.run(server + "/ok", rate=100, duration=1.0)
    seen = arrivals(server)
    assert result.n == len(seen) == 100 and result.errors()["status"] == 0
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert 0.9 < seen[-1] - seen[0] < 1.1  # spread over the duration
    assert 0.008 < statistics.median(gaps) < 0.012  # one every 10 ms
    assert typical_crowd(seen) <= 3  # 2 due per 20 ms
    # Control: hey at the same rate (10 workers x 10/s) sends its requests in bursts.
    subprocess.run(
        ["hey", "-z", "1s", "-c", "10", "-q", "10", server + "/ok"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    assert typical_crowd(arrivals(server)) >= 7  # bursts of 10


def pacer_lateness(
    make: type[loadgen_pacer.LoopPacer | loadgen_pacer.TimerfdPacer],
) -> tuple[float, int]:
    """Median lateness (s) of 150 wake-ups 2 ms apart (500/s) through one pacer on uvloop,
    and how many times it fired early (then it is armed again, as loadgen's tick does)."""
    import asyncio

    import uvloop

    async def wake_ups() -> tuple[float, int]:
        loop = asyncio.get_running_loop()
        late: list[float] = []
        early = 0
        done = loop.create_future()
        due = [time.perf_counter() + 0.005 + i * 0.002 for i in range(150)]

        def fired() -> None:
            nonlocal early
            now = time.perf_counter()
            if now < due[len(late)]:
                early += 1
                clock.at(due[len(late)])
                return
            late.append(now - due[len(late)])
            if len(late) < len(due):
                clock.at(due[len(late)])
            elif not done.done():
                done.set_result(None)

        clock = make(loop, fired)
        clock.at(due[0])
        await done
        clock.close()
        return statistics.median(late), early

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(wake_ups())


def test_the_timerfd_pacer_wakes_on_time_where_the_loop_timer_is_late() -> None:
    precise, early = pacer_lateness(loadgen_pacer.TimerfdPacer)
    assert precise < 0.0005 and early == 0
    # Control: libuv's millisecond timer, the one the loop offers, is later.
    assert pacer_lateness(loadgen_pacer.LoopPacer)[0] > precise


def test_poisson_arrivals_are_seeded_with_the_mean_rate() -> None:
    one = loadgen.schedule(1000, 4, "poisson", seed=7)
    assert one == loadgen.schedule(1000, 4, "poisson", seed=7)
    assert one != loadgen.schedule(1000, 4, "poisson", seed=8)
    assert 3700 < len(one) < 4300 and one[-1] < 4
    gaps = [b - a for a, b in itertools.pairwise(one)]
    # Exponential gaps: standard deviation about the mean; the constant schedule's is 0.
    assert 0.9 < statistics.pstdev(gaps) / statistics.mean(gaps) < 1.1
    even = loadgen.schedule(1000, 4)
    assert len(even) == 4000 and even[:3] == [0.0, 0.001, 0.002]


def test_latency_counts_from_the_due_time_so_queueing_is_not_omitted(server: str) -> None:
    # A server that answers one request at a time in 20 ms, sent 100/s on ONE connection
    # (what a closed-loop tool does): requests queue in the generator.
    result = loadgen.run(server + "/serial?ms=20", rate=100, duration=0.5, max_connections=1)
    assert result.n == 50 and not any(result.error)
    from_due = result.latencies()
    # The 50th request was due at 0.49 s and answered at ~1.0 s.
    assert loadgen.percentile(from_due, 100) > 0.35
    assert from_due[-1] > from_due[0] + 0.3  # the wait grows along the run
    # Control: timed from the actual send (a closed-loop tool's number), the queue vanishes.
    assert loadgen.percentile(result.service_times(), 90) < 0.1
    # Open loop (connections opened as needed): the schedule holds, sends are on time and
    # the server's own queue is in the latency.
    result = loadgen.run(server + "/serial?ms=20", rate=100, duration=0.5)
    assert result.n == 50 and not any(result.error)
    assert result.connections > 10
    assert loadgen.percentile(result.send_lateness(), 50) < 0.005
    assert loadgen.percentile(result.latencies(), 100) > 0.35


def test_an_answer_ends_at_its_last_byte(server: str) -> None:
    streamed = loadgen.run(server + "/sse?ms=30", rate=50, duration=0.2)
    assert not any(streamed.error) and set(streamed.status) == {200}
    assert min(streamed.latencies()) > 0.055  # three events 30 ms apart
    until_close = loadgen.run(server + "/untilclose", rate=50, duration=0.2)
    assert not any(until_close.error) and until_close.connections == until_close.n


@pytest.mark.parametrize(
    ("path", "kind"), [("/fail", "status"), ("/reset", "reset"), ("/hang", "timeout")]
)
def test_errors_are_counted_never_dropped(server: str, path: str, kind: str) -> None:
    result = loadgen.run(server + path, rate=100, duration=0.2, timeout=0.3)
    assert result.n == 20 and result.errors()[kind] == 20 and sum(result.errors().values()) == 20
    assert all(math.isnan(x) for x in result.latencies())  # an error is never a success
    if kind == "status":
        assert set(result.status) == {500}


def test_a_refused_connection_is_a_connect_error() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        result = loadgen.run(f"http://127.0.0.1:{port}/", rate=100, duration=0.1, connections=0)
    assert result.n == 10 and result.errors()["connect"] == 10


def test_cli_prints_figures_and_own_cpu_and_writes_every_request(
    server: str, tmp_path: Path
) -> None:
    out = tmp_path / "run.json"
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "loadgen.py"), server + "/ok",
         "--rate", "50", "--duration", "0.5", "--arrivals", "poisson", "--json", str(out)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "latency from due time: p50" in done.stdout
    assert "loadgen CPU:" in done.stdout and "us per request" in done.stdout
    assert "send lateness:" in done.stdout
    saved = json.loads(out.read_text())
    assert saved["summary"]["n"] == len(saved["requests"]["due"]) > 0
    bad = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "loadgen.py"), "https://x/"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "http://" in bad.stderr
