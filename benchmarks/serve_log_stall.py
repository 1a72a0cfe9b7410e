"""Does the call log stall `routr serve`'s event loop? Latency and loop stalls, log on and off.

The call-log writer's batches are Routr's own background work in the serving process: work
done there under the GIL is work the event loop waits for (up to the interpreter's switch
interval, 5 ms, per hand-over), for every request in flight -- straight into p99. This
measures it on the real app:

- the gateway (``load_gateway`` + ``build_app``, uvicorn with ``runner.UVICORN_SETTINGS``,
  ``tune_gc`` as `routr serve` does) runs in a child process in front of the local mock
  upstream (``serve_overhead.py --mock``, 0 ms), with the call log on (as served) or off;
- inside it, a ticker coroutine sleeps 1 ms at a time and records how late each wake-up
  is (the event loop's stalls, whatever holds it), and ``gc.callbacks`` time collections;
- this process sends requests evenly paced with ``loadgen.py`` (request i due at
  t0 + i/rate, open loop, latency measured from the due time, so a stall that delays
  sending is counted), for ``--duration`` seconds;
- the gateway's CPU, its call-log thread's alone (CPU there is GIL time the event loop
  waits for) and, when the log runs in its own process, that process's, from ``/proc``.

    python benchmarks/serve_log_stall.py --rate 500 --duration 20
    python benchmarks/serve_log_stall.py --rate 100 --duration 3 --modes on   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen
import loadgen_result
from serve_cpu import cpu_seconds, start_mock
from serve_overhead import BODY, free_port, mock_provider_env, stop, wait_ready

KEY = "rk-log-stall"


def percentile(values: list[float], q: float) -> float:
    """``q`` in 0..1, nearest rank (``loadgen``'s)."""
    return loadgen_result.percentile(values, q * 100)


# -- the gateway, in its own process (serve_log_stall.py --gateway ...) -----------------


def run_gateway(port: int, work: Path, log_on: bool, out: Path) -> None:
    """The real app under uvicorn, with a 1 ms ticker and gc timing; stats to ``out``
    at shutdown (after the call log's flush)."""
    import threading

    import uvicorn
    import uvloop

    from routr_cli.serve.app import ServeSettings, build_app, load_gateway
    from routr_cli.serve.guard import Guard, load_keys
    from routr_cli.serve.runner import UVICORN_SETTINGS, tune_gc

    settings = ServeSettings(db=work / "none.duckdb", log_path=work / "calls.duckdb")
    keys = load_keys(None, default_rpm=None, default_budget=None)
    gateway = load_gateway(settings, Guard(keys, require=True))
    if not log_on:
        gateway.writer = None
    app = build_app(gateway)
    tune_gc()
    lateness: list[float] = []
    gc_pauses: list[tuple[int, float]] = []
    gc_started: list[float] = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gc_pauses.append((int(info["generation"]), time.perf_counter() - gc_started[0]))

    gc.callbacks.append(on_gc)

    async def ticker() -> None:
        clock = time.perf_counter  # uvloop's loop.time() counts whole milliseconds
        while True:
            before = clock()
            await asyncio.sleep(0.001)
            lateness.append(clock() - before - 0.001)

    config = uvicorn.Config(app, host="127.0.0.1", port=port, **dict(UVICORN_SETTINGS, loop="none"))
    server = uvicorn.Server(config)
    counting = {"start": 0, "end": 0, "gc_end": 0}
    log_cpu: list[float] = []

    def log_thread_cpu() -> float:
        """CPU seconds of the call log's thread in this process: GIL time the loop lacks."""
        writer = gateway.writer
        thread = getattr(writer, "_thread", None)
        if thread is None or thread.native_id is None:
            return 0.0
        return cpu_seconds(os.getpid(), thread.native_id)

    async def serve() -> None:
        tick = asyncio.create_task(ticker())
        # SIGUSR1: the measured load starts (the warm-up is forgotten); SIGUSR2: it ended
        loop = asyncio.get_running_loop()

        def started() -> None:
            counting.update(start=len(lateness))
            gc_pauses.clear()
            log_cpu[:] = [log_thread_cpu()]

        def ended() -> None:
            counting.update(end=len(lateness), gc_end=len(gc_pauses))
            log_cpu.append(log_thread_cpu())

        loop.add_signal_handler(signal.SIGUSR1, started)
        loop.add_signal_handler(signal.SIGUSR2, ended)
        # SIGHUP: stop as SIGTERM does (uvicorn re-raises SIGTERM once shut down: no stats)
        loop.add_signal_handler(signal.SIGHUP, lambda: setattr(server, "should_exit", True))
        try:
            await server.serve()
        finally:
            tick.cancel()
            write_stats()

    def write_stats() -> None:
        ticks = [x * 1000 for x in lateness[counting["start"] : counting["end"]]]
        pauses = gc_pauses[: counting["gc_end"]]
        writer = gateway.writer
        stats = {
            "ticks": len(ticks),
            "stall_p50_ms": percentile(ticks, 0.5),
            "stall_p99_ms": percentile(ticks, 0.99),
            "stall_p999_ms": percentile(ticks, 0.999),
            "stall_max_ms": max(ticks, default=float("nan")),
            "stalls_over_2ms": sum(1 for x in ticks if x > 2),
            "gc": {
                str(g): [
                    len([p for gen, p in pauses if gen == g]),
                    max([p * 1000 for gen, p in pauses if gen == g], default=0.0),
                ]
                for g in (0, 1, 2)
            },
            "log_thread_cpu_s": log_cpu[1] - log_cpu[0] if len(log_cpu) == 2 else 0.0,
            "written": getattr(writer, "written", 0),
            "dropped": getattr(writer, "dropped", 0),
            "threads": threading.active_count(),
        }
        out.write_text(json.dumps(stats))

    uvloop.run(serve())


# -- the paced load, in this process -----------------------------------------------------


def paced_load(url: str, rate: float, duration: float, stream: bool) -> list[float]:
    """``loadgen.py``'s open-loop paced run: latency (s) of each request from its due
    time; NaN for an error."""
    body = json.dumps(dict(BODY, model="mock/m", stream=stream)).encode()
    headers = (f"Authorization: Bearer {KEY}", "Content-Type: application/json")
    result = loadgen.run(
        url + "/chat/completions", rate=rate, duration=duration, method="POST", body=body,
        headers=headers,
    )  # fmt: skip
    return result.latencies()


def run_case(args: argparse.Namespace, mock_port: int, log_on: bool) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="routr-log-stall-"))
    port = free_port()
    out = work / "stats.json"
    env = dict(os.environ, **mock_provider_env(work, mock_port, KEY))
    gateway = subprocess.Popen(
        [sys.executable, __file__, "--gateway", str(port), str(work), "on" if log_on else "off",
         str(out)],
        env=env,
    )  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", gateway)
        url = f"http://127.0.0.1:{port}/v1"
        paced_load(url, args.rate, 1.0, args.stream)  # warm-up
        gateway.send_signal(signal.SIGUSR1)
        cpu_before = process_tree_cpu(gateway.pid)
        latencies = paced_load(url, args.rate, args.duration, args.stream)
        gateway.send_signal(signal.SIGUSR2)
        cpu = process_tree_cpu(gateway.pid)
        parent_cpu = cpu[0] - cpu_before[0]
        child_cpu = cpu[1] - cpu_before[1]
        gateway.send_signal(signal.SIGHUP)
        gateway.wait(60)
    finally:
        stop(gateway)
    stats = json.loads(out.read_text())
    good = [x * 1000 for x in latencies if x == x]
    n = len(latencies)
    return {
        "log": "on" if log_on else "off",
        "n": n,
        "errors": n - len(good),
        "p50_ms": percentile(good, 0.5),
        "p90_ms": percentile(good, 0.9),
        "p99_ms": percentile(good, 0.99),
        "max_ms": max(good, default=float("nan")),
        "cpu_ms_per_request": parent_cpu * 1000 / max(1, n),
        "log_process_cpu_ms_per_request": child_cpu * 1000 / max(1, n),
        **stats,
        "log_thread_cpu_ms_per_request": stats["log_thread_cpu_s"] * 1000 / max(1, n),
    }


def process_tree_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of ``pid`` and of its live children (a call-log process)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with open(task / "children") as handle:
            children += [int(c) for c in handle.read().split()]
    return cpu_seconds(pid), sum(cpu_seconds(c) for c in children)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--modes", default="on,off", help="call log on, off, or both (on,off)")
    parser.add_argument("--stream", action="store_true", help="streamed answers")
    parser.add_argument("--json", action="store_true", help="one JSON line per case")
    parser.add_argument("--gateway", nargs=4, metavar=("PORT", "WORK", "LOG", "OUT"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.gateway:
        port, work, log, out = args.gateway
        run_gateway(int(port), Path(work), log == "on", Path(out))
        return
    mock, mock_port = start_mock()
    try:
        load = os.getloadavg()[0]
        print(f"rate {args.rate:g}/s for {args.duration:g} s, load average {load:.2f}", flush=True)
        for mode in args.modes.split(","):
            row = run_case(args, mock_port, mode == "on")
            if args.json:
                print(json.dumps(row), flush=True)
                continue
            print(
                f"log {row['log']:3s} n={row['n']} errors={row['errors']} latency p50 "
                f"{row['p50_ms']:.2f} p90 {row['p90_ms']:.2f} p99 {row['p99_ms']:.2f} max "
                f"{row['max_ms']:.1f} ms | loop stalls p50 {row['stall_p50_ms']:.2f} p99 "
                f"{row['stall_p99_ms']:.2f} p99.9 {row['stall_p999_ms']:.2f} max "
                f"{row['stall_max_ms']:.1f} ms, >2 ms: {row['stalls_over_2ms']} of "
                f"{row['ticks']} | gc (count, max ms) {row['gc']} | CPU/request "
                f"{row['cpu_ms_per_request']:.3f} ms (log thread "
                f"{row['log_thread_cpu_ms_per_request']:.3f}) + log process "
                f"{row['log_process_cpu_ms_per_request']:.3f} | written {row['written']}",
                flush=True,
            )
    finally:
        stop(mock)


if __name__ == "__main__":
    main()
