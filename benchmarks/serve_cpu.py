"""CPU time `routr serve` spends per request: a figure the machine's load does not move.

Wall-clock latency on 2 cores shared by several people is mostly queueing noise; the CPU
seconds the gateway's process burns per request are what the latency targets come down to
(at 500 requests/s, 1 ms of CPU per request is half a core). This starts the local mock
upstream (``serve_overhead.py --mock``) and `routr serve` in front of it, sends a fixed
number of requests with `hey` (whole, then streamed), and reads the gateway's user+system
CPU time from ``/proc`` before and after: CPU ms per request, for Routr (its serving
process, and apart the child process that writes its call log) and, as the floor any
uvicorn app pays, for the mock itself (a raw ASGI app).

``--canned`` measures Routr's own request path without the upstream HTTP client: in
process (as ``--in-process``), each provider call builds the vendor request and reads the
mock's own answer bytes (whole or streamed) through the provider's real parser, with no
socket in between. What it prints is everything else a request costs: uvicorn, the ASGI
app, parsing, routing, the executor, metrics and the call log.

``--profile`` instead drives the real app (``build_app`` over a real gateway, real pooled
HTTP to the mock) in this process through ``httpx.ASGITransport`` under cProfile, times
``time.process_time()`` per request and prints the hottest functions.

    python benchmarks/serve_cpu.py                      # 3000 requests per case
    python benchmarks/serve_cpu.py --requests 500       # a quick look
    python benchmarks/serve_cpu.py --profile --requests 2000
    python benchmarks/serve_cpu.py --canned --requests 3000   # Routr without the HTTP client
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_overhead import (
    BODY,
    free_port,
    mock_bodies,
    mock_provider_env,
    start_routr,
    stop,
    wait_ready,
)

TICKS = os.sysconf("SC_CLK_TCK")
# The call log's process writes what arrived every 5 s (``LogWriter``'s interval) or
# every 4,096 calls: waited out so each case's rows are written in its own window.
LOG_FLUSH_WAIT_S = 6.0
KEY = "rk-cpu"


def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User + system CPU of ``pid`` (all its threads: the log writer's too), or of one
    of its threads."""
    where = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    fields = Path(where).read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children_cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid``'s live child processes (the call log's writer): the
    gateway's work too, though in another process."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


PROMPT: dict[str, str] = {}  # --prompt-chars: the user message every request sends


def realistic_prompt(chars: int) -> str:
    """A coding-task prompt of about ``chars`` characters: the bundled tasks' own prompts,
    concatenated (the classifier's cost grows with the prompt; the default one-line prompt
    hides it)."""
    from routr_cli.ranking.classifier import bundled_examples

    text = ""
    for example in bundled_examples():
        if len(text) >= chars:
            break
        text += example.text + "\n\n"
    return text[:chars]


def hey_count(url: str, model: str, stream: bool, requests: int, concurrency: int) -> int:
    """Send ``requests`` requests; the number of non-2xx answers."""
    import json

    message = {"role": "user", "content": PROMPT["text"]} if PROMPT else None
    request = dict(BODY, model=model, stream=stream)
    if message is not None:
        request["messages"] = [message]
    body = json.dumps(request)
    cmd = [
        "hey", "-n", str(requests), "-c", str(concurrency), "-m", "POST",
        "-T", "application/json", "-H", f"Authorization: Bearer {KEY}", "-d", body,
        "-o", "csv", url + "/chat/completions",
    ]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[1:]
    return sum(1 for r in rows if not r.split(",")[6].startswith("2"))


def start_mock() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    script = str(Path(__file__).parent / "serve_overhead.py")
    mock = subprocess.Popen([sys.executable, script, "--mock", str(port), "0"])
    wait_ready(f"http://127.0.0.1:{port}/", mock)
    return mock, port


def measure(args: argparse.Namespace) -> None:
    if shutil.which("hey") is None:
        raise SystemExit("needs `hey` (apt-get install hey)")
    work = Path(tempfile.mkdtemp(prefix="routr-serve-cpu-"))
    mock, mock_port = start_mock()
    procs = [mock]
    try:
        routr, port = start_routr(work, mock_port, KEY)
        procs.append(routr)
        routr_url = f"http://127.0.0.1:{port}/v1"
        mock_url = f"http://127.0.0.1:{mock_port}/v1"
        for stream in args.kinds:
            hey_count(routr_url, "mock/m", stream, min(300, args.requests), args.concurrency)
            time.sleep(args.log_wait)  # the warm-up's calls written before counting
            before = (
                cpu_seconds(routr.pid),
                cpu_seconds(mock.pid),
                cpu_seconds(routr.pid, routr.pid),
                children_cpu_seconds(routr.pid),
            )
            errors = hey_count(routr_url, "mock/m", stream, args.requests, args.concurrency)
            time.sleep(args.log_wait)  # and these calls' rows written before reading
            after = (
                cpu_seconds(routr.pid),
                cpu_seconds(mock.pid),
                cpu_seconds(routr.pid, routr.pid),
                children_cpu_seconds(routr.pid),
            )
            hey_count(mock_url, "m", stream, min(300, args.requests), args.concurrency)
            direct_before = cpu_seconds(mock.pid)
            hey_count(mock_url, "m", stream, args.requests, args.concurrency)
            direct = cpu_seconds(mock.pid) - direct_before
            per = 1000 / args.requests
            print(
                f"{'streamed' if stream else 'whole':8s} n={args.requests} "
                f"routr {(after[0] - before[0]) * per:.3f} ms CPU/request "
                f"(event loop {(after[2] - before[2]) * per:.3f}), its call log's process "
                f"{(after[3] - before[3]) * per:.3f}, in all "
                f"{(after[0] - before[0] + after[3] - before[3]) * per:.3f}; "
                f"mock behind it {(after[1] - before[1]) * per:.3f}, "
                f"mock alone (uvicorn floor) {direct * per:.3f}, errors {errors}",
                flush=True,
            )
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)


class CannedChat:
    """``AsyncChat`` without the network: the vendor request is built as for a real call
    (and dropped), the answer is the mock upstream's bytes read by the provider's parser."""

    answer, events = mock_bodies()

    def __init__(self, provider: Any) -> None:
        self.provider = provider

    async def complete(self, request: Any) -> Any:
        import json

        provider = self.provider
        started = time.monotonic()
        provider.build_call(request, stream=False, api_key=provider.config.api_key())
        parsed = provider.parse_complete(json.loads(self.answer))
        return provider.response(parsed, started, 0, ttft=None)

    async def stream(self, request: Any) -> Any:
        from routr_cli.providers.sse import SSEDecoder

        provider = self.provider
        started = time.monotonic()
        provider.build_call(request, stream=True, api_key=provider.config.api_key())
        reader = provider.stream_reader()
        ttft = None
        for event in SSEDecoder().feed(self.events):
            for delta in reader.feed(event):
                ttft = ttft or time.monotonic() - started
                yield delta
            if reader.done:
                break
        yield provider.response(reader.finish(), started, 0, ttft=ttft)


def profile(args: argparse.Namespace) -> None:
    """The real app under real uvicorn (uvloop, httptools) in this process, `hey` outside
    it: process CPU per request (the log writer's thread included), and with ``--profile``
    cProfile (timed by process CPU) over the event loop's thread."""
    import cProfile
    import pstats
    import threading

    import uvicorn
    import uvloop

    work = Path(tempfile.mkdtemp(prefix="routr-serve-cpu-"))
    mock, mock_port = start_mock()
    try:
        os.environ.update(mock_provider_env(work, mock_port, KEY))
        from routr_cli.serve.app import ServeSettings, build_app, load_gateway
        from routr_cli.serve.guard import Guard, load_keys

        settings = ServeSettings(db=work / "none.duckdb", log_path=work / "calls.duckdb")
        keys = load_keys(None, default_rpm=None, default_budget=None)
        gateway = load_gateway(settings, Guard(keys, require=True))
        if args.canned:
            gateway.executor._chat = lambda resolved: CannedChat(resolved.provider)  # type: ignore[method-assign]
        app = build_app(gateway)
        try:  # as `routr serve` does; absent from trees before it (a before/after run)
            from routr_cli.serve.runner import tune_gc
        except ImportError:
            pass
        else:
            tune_gc()
        port = free_port()
        try:  # how `routr serve` runs uvicorn
            from routr_cli.serve.runner import UVICORN_SETTINGS
        except ImportError:  # a tree from before it (a before/after run)
            UVICORN_SETTINGS = {"http": "httptools", "access_log": False, "log_level": "warning"}
        options = dict(UVICORN_SETTINGS, loop="none")  # uvloop.run below gives the loop
        config = uvicorn.Config(app, host="127.0.0.1", port=port, **options)
        server = uvicorn.Server(config)
        profiler = cProfile.Profile(time.process_time)
        url = f"http://127.0.0.1:{port}/v1"

        def flush() -> None:
            writer = gateway.writer
            if writer is None:
                return
            if hasattr(writer, "flush"):
                writer.flush()
            else:  # an older tree's writer (1 s batches, no flush): let it finish
                time.sleep(2.5)

        def load() -> None:
            wait_ready(f"http://127.0.0.1:{port}/healthz", mock)
            for stream in args.kinds:
                hey_count(url, "mock/m", stream, min(300, args.requests), args.concurrency)
                flush()  # the warm-up's calls are written before the clock starts
                began = time.process_time()
                errors = hey_count(url, "mock/m", stream, args.requests, args.concurrency)
                flush()  # this run's log writes are part of its cost
                cpu = time.process_time() - began
                print(
                    f"{'streamed' if stream else 'whole':8s} n={args.requests} in process "
                    f"(uvicorn + app{', canned upstream' if args.canned else ''}): "
                    f"{cpu * 1000 / args.requests:.3f} ms CPU/request, "
                    f"errors {errors}",
                    flush=True,
                )
            server.should_exit = True

        async def serve() -> None:
            if args.profile:
                profiler.enable()
            try:
                await server.serve()
            finally:
                profiler.disable()

        threading.Thread(target=load, daemon=True).start()
        uvloop.run(serve())
        if args.profile:
            if args.dump:
                profiler.dump_stats(args.dump)
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    finally:
        stop(mock)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--log-wait", type=float, default=LOG_FLUSH_WAIT_S,
        help="seconds waited for the call log's writes before and after each case",
    )  # fmt: skip
    parser.add_argument("--in-process", action="store_true", help="time the app in process")
    parser.add_argument("--profile", action="store_true", help="in process, under cProfile")
    parser.add_argument(
        "--canned", action="store_true", help="in process, no upstream HTTP (Routr's own CPU)"
    )
    parser.add_argument("--sort", default="tottime", help="cProfile sort key")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--dump", help="with --profile: also save the raw stats to this file")
    parser.add_argument(
        "--only", choices=("whole", "streamed"), help="one kind of answer, not both"
    )
    parser.add_argument(
        "--prompt-chars", type=int, default=0,
        help="send a coding-task prompt of about this many characters (default: one line)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.prompt_chars:
        PROMPT["text"] = realistic_prompt(args.prompt_chars)
    args.kinds = [kind == "streamed" for kind in ("whole", "streamed") if args.only in (None, kind)]
    if args.profile or args.in_process or args.canned:
        profile(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
