"""Stamina: does `routr serve` hold its memory under steady load?

`routr serve` in front of the local mock upstream (from serve_overhead.py), a load
generator sending a fixed rate for a fixed time (by default 200 requests/s for 10
minutes), the gateway's resident memory (VmRSS of its process tree) sampled every second.
It prints the latency figures, which generator sent the load and its CPU per request, RSS
per minute and the drift between minute 2 (warmed up) and the end; the target (issue 12)
is under 5%.

The generator is benchmarks/loadgen.py by default: open loop and evenly paced, each
latency counted from the request's due time, so the soak's load is the rate it says.
``--generator hey`` uses Debian's `hey` instead, whose workers tick in lockstep (at 200/s,
20 workers send 20 requests together every 100 ms) and wait for each answer (a stalled
gateway gets less load, and the stall is counted once): see serve_overhead.py.

    python benchmarks/serve_soak.py                 # 200 rps, 10 minutes
    python benchmarks/serve_soak.py --rate 20 --minutes 0.2   # a quick look
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_overhead import (
    GENERATORS,
    describe_generator,
    free_port,
    send_load,
    start_routr,
    stop,
    summary,
    wait_ready,
)


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its children (uvicorn may fork workers)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument(
        "--generator", choices=GENERATORS, default="loadgen",
        help="loadgen: paced, open loop (default); hey: closed loop, lockstep bursts",
    )  # fmt: skip
    args = parser.parse_args()
    if args.generator == "hey" and shutil.which("hey") is None:
        raise SystemExit("needs `hey` (apt-get install hey), or --generator loadgen")
    work = Path(tempfile.mkdtemp(prefix="routr-serve-soak-"))
    mock_port = free_port()
    mock = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "serve_overhead.py"), "--mock",
         str(mock_port), "0"]
    )  # fmt: skip
    procs = [mock]
    try:
        wait_ready(f"http://127.0.0.1:{mock_port}/", mock)
        routr, port = start_routr(work, mock_port, "rk-soak")
        procs.append(routr)
        samples: list[tuple[float, int]] = []
        done = threading.Event()

        def sample() -> None:
            start = time.monotonic()
            while not done.wait(1.0):
                samples.append((time.monotonic() - start, rss_kb(routr.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        seconds = args.minutes * 60
        load = send_load(
            args.generator, f"http://127.0.0.1:{port}/v1", "mock/m", False, args.rate,
            seconds, "rk-soak",
        )  # fmt: skip
        done.set()
        sampler.join()
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)
    fig = summary(load.latencies)
    print(f"{fig['n']} requests, p50 {fig['p50_ms']:.2f} ms, p99 {fig['p99_ms']:.2f} ms, "
          f"errors {fig['errors']}")  # fmt: skip
    print(describe_generator(args.generator, args.rate, None, "constant"))
    print(f"{args.generator} CPU: {load.cpu_ms * 1000:.0f} us per request")
    if not samples:
        raise SystemExit("no memory samples")
    minute = 60.0 if seconds >= 180 else seconds / 5
    marks = sorted({int(t // minute) for t, _ in samples})
    for mark in marks:
        values = [kb for t, kb in samples if int(t // minute) == mark]
        print(
            f"rss {'minute' if minute == 60 else 'slice'} {mark + 1}: {max(values) / 1024:.1f} MiB"
        )
    warm = [kb for t, kb in samples if t >= 2 * minute] or [kb for _, kb in samples]
    first, last = warm[0], warm[-1]
    print(f"rss drift from {'minute 2' if minute == 60 else 'slice 2'} to the end: "
          f"{(last - first) / first * 100:+.2f}% ({first / 1024:.1f} -> {last / 1024:.1f} MiB)")  # fmt: skip


if __name__ == "__main__":
    main()
