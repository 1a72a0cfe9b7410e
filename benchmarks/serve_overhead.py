"""How much latency does `routr serve` add? Side by side with LiteLLM's proxy.

A fast local mock upstream (OpenAI format; answers after 0 ms or 50 ms, streamed or not)
runs in its own process. For each case, a load generator sends a fixed rate of requests
for a fixed time, first straight to the mock, then through `routr serve`, then through
LiteLLM's proxy (installed by this script into a throwaway virtual environment, never a
Routr dependency), all in the same run on the same machine and through the same
generator (one method for all, so the comparison is fair). It prints p50 and p99 of each
and the latency *added* (through the gateway minus direct), the error count, which
generator sent the load and its own CPU per request.

The generator (``--generator``):

- ``loadgen`` (the default; benchmarks/loadgen.py): open loop and evenly paced, as wrk2
  and vegeta do -- request ``i`` is due at ``i / rate``, sent then on a free keep-alive
  connection (a new one when all are busy), and its latency counts from its due time, so
  neither a burst nor a slow answer is left out of the figures. A fixed-rate benchmark
  should send at a fixed rate, and 500 requests/s of real traffic does not arrive in
  synchronized bursts;
- ``hey`` (Debian's package): ``rate / 10`` workers (at most 50; ``--workers``), each
  sending ``rate / workers`` per second and waiting for each answer. Their tickers fire in
  lockstep, so at 500/s hey sends 50 requests at once every 100 ms, and on a one-worker
  gateway the 50th waits behind the 49 before it: hey's p50 measures that burst's queue
  (~+20 ms added at p50 here, ~+5 ms with ``--workers 10``), not the gateway. Its
  latencies count from each actual send (closed loop: what a stalled worker did not send
  is not measured). Kept to compare with, and with earlier figures.

    python benchmarks/serve_overhead.py                      # the issue's load: 500 rps x 60 s
    python benchmarks/serve_overhead.py --rate 50 --duration 5 --no-litellm   # a quick look
    python benchmarks/serve_overhead.py --generator hey --workers 10          # hey instead

Targets (issue 12): added p50 <= 1 ms, p99 <= 5 ms, no errors, and at least 3x lower added
p99 than LiteLLM's proxy in the same run. 2 cores are shared by the load generator, the
mock, the gateway: the figures are what this machine gives, side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import math
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import loadgen  # noqa: E402

GENERATORS = ("loadgen", "hey")
ROUTR = Path(sys.executable).parent / "routr"
# LiteLLM's proxy refuses to start without a master key (newer releases): callers send it,
# as they send Routr its serve key, so both gateways check a bearer key.
LITELLM_KEY = "sk-routr-bench-0123456789abcdef0123456789abcdef"
BODY = {"model": "MODEL", "messages": [{"role": "user", "content": "Say hello in one line."}]}


# -- the mock upstream (run as: serve_overhead.py --mock PORT DELAY_MS) -------------------


def mock_bodies() -> tuple[bytes, bytes]:
    """The mock's two answers, whole (JSON) and streamed (SSE events), OpenAI format."""
    answer = json.dumps(
        {
            "id": "chatcmpl-mock", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "Hello there."}}],
            "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
        }
    ).encode()  # fmt: skip
    chunks = [
        {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hello"}}]},
        {"choices": [{"index": 0, "delta": {"content": " there."}, "finish_reason": "stop"}]},
        {"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}},
    ]
    events = b"".join(
        b"data: " + json.dumps({"id": "c", "object": "chat.completion.chunk", "created": 0,
                                "model": "m", **c}).encode() + b"\n\n"
        for c in chunks
    ) + b"data: [DONE]\n\n"  # fmt: skip
    return answer, events


def mock_app(delay_s: float) -> Any:
    """A raw ASGI app: OpenAI chat completions, whole or streamed, after ``delay_s``."""
    answer, events = mock_bodies()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        stream = b'"stream": true' in body or b'"stream":true' in body
        if delay_s:
            await asyncio.sleep(delay_s)
        kind = b"text/event-stream" if stream else b"application/json"
        payload = events if stream else answer
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(payload)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": payload})

    return app


def run_mock(port: int, delay_ms: float) -> None:
    import uvicorn

    uvicorn.run(mock_app(delay_ms / 1000), host="127.0.0.1", port=port, log_level="error",
                access_log=False, loop="uvloop", http="httptools")  # fmt: skip


# -- harness ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url}: not ready after {timeout:g}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def mock_provider_env(work: Path, mock_port: int, key: str) -> dict[str, str]:
    """Environment for Routr with a ``mock`` provider (OpenAI format) in front of the mock
    upstream on ``mock_port`` and ``key`` as the one serve key; writes its routr.toml."""
    config = work / "routr.toml"
    config.write_text(
        f'[providers.mock]\nformat = "openai"\nbase_url = "http://127.0.0.1:{mock_port}/v1"\n'
        'key_env = "MOCK_API_KEY"\n'
    )
    return {"ROUTR_CONFIG": str(config), "MOCK_API_KEY": "x", "ROUTR_SERVE_KEYS": key}


def start_routr(
    work: Path, mock_port: int, key: str, workers: int = 1
) -> tuple[subprocess.Popen[bytes], int]:
    """`routr serve` (``workers`` worker processes, no standings) with a ``mock`` provider in
    front of the mock upstream on ``mock_port``, accepting the bearer key ``key``; ready
    when returned."""
    env = dict(os.environ, **mock_provider_env(work, mock_port, key))
    port = free_port()
    routr = subprocess.Popen(
        [str(ROUTR), "serve", "--port", str(port), "--db", str(work / "none.duckdb"),
         "--log-dir", str(work / "logs"), "--workers", str(workers)],
        env=env,
    )  # fmt: skip
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz", routr)
    except BaseException:
        stop(routr)
        raise
    return routr, port


def hey(
    url: str, model: str, stream: bool, rate: float, duration: float, key: str,
    workers: int | None = None,
) -> list[float]:  # fmt: skip
    """Latencies (seconds) of every request; non-2xx responses count as errors (NaN).

    ``workers``: hey's concurrent clients, each sending ``rate / workers`` per second. Their
    timers tick in step, so requests arrive in bursts of ``workers`` at once (50 at 500/s
    by default: every 100 ms, 50 requests together, the last waiting for the 49 before it
    on a one-worker gateway); fewer workers, smaller and more frequent bursts."""
    body = dict(BODY, model=model, stream=stream)
    workers = hey_workers(rate, workers)
    cmd = [
        "hey", "-z", f"{duration}s", "-c", str(workers), "-q", f"{rate / workers:g}",
        "-m", "POST", "-T", "application/json", "-H", f"Authorization: Bearer {key}",
        "-d", json.dumps(body), "-o", "csv", url + "/chat/completions",
    ]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    latencies: list[float] = []
    for row in csv.DictReader(io.StringIO(out)):
        ok = row.get("status-code", "200").startswith("2")
        latencies.append(float(row["response-time"]) if ok else float("nan"))
    return latencies


def hey_workers(rate: float, workers: int | None) -> int:
    return workers if workers is not None else max(1, min(50, int(rate // 10) or 1))


@dataclass
class Load:
    """One run of a generator: each request's latency (seconds, NaN for an error), the
    generator's own CPU per request (ms) and, from loadgen, the errors by kind."""

    latencies: list[float]
    cpu_ms: float
    error_kinds: dict[str, int] | None = None


def send_load(
    generator: str, url: str, model: str, stream: bool, rate: float, duration: float,
    key: str, workers: int | None = None, arrivals: str = "constant",
) -> Load:  # fmt: skip
    """``rate`` chat completions per second for ``duration`` seconds to ``url`` (an
    OpenAI base URL) through ``generator`` (``loadgen``: paced, open loop, latency from
    each due time; ``hey``: closed loop, lockstep bursts)."""
    if generator == "hey":
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        latencies = hey(url, model, stream, rate, duration, key, workers)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return Load(latencies, cpu * 1000 / max(1, len(latencies)))
    body = json.dumps(dict(BODY, model=model, stream=stream)).encode()
    result = loadgen.run(
        url + "/chat/completions", rate=rate, duration=duration, method="POST", body=body,
        headers=("Content-Type: application/json", f"Authorization: Bearer {key}"),
        arrivals=arrivals,
    )  # fmt: skip
    warning = result.behind_warning()
    if warning:
        print(warning, file=sys.stderr, flush=True)
    return Load(result.latencies(), result.cpu_per_request_ms(), result.errors())


def describe_generator(generator: str, rate: float, workers: int | None, arrivals: str) -> str:
    """One line saying how the load was sent (the figures mean different things)."""
    if generator == "hey":
        n = hey_workers(rate, workers)
        return (
            f"generator: hey, {n} workers x {rate / n:g}/s (closed loop; their tickers fire "
            f"together: bursts of {n} every {1000 * n / rate:g} ms; latency from each send)"
        )
    return (
        f"generator: loadgen, {arrivals} arrivals at {rate:g}/s (open loop, evenly paced; "
        "latency from each request's due time)"
    )


def summary(latencies: list[float]) -> dict[str, float]:
    good = sorted(x for x in latencies if x == x)
    errors = len(latencies) - len(good)
    if not good:
        return {
            "n": len(latencies),
            "p50_ms": float("nan"),
            "p99_ms": float("nan"),
            "errors": errors,
        }
    p99 = good[min(len(good) - 1, int(0.99 * len(good)))]
    return {
        "n": len(latencies),
        "p50_ms": statistics.median(good) * 1000,
        "p99_ms": p99 * 1000,
        "errors": errors,
    }


def install_litellm(venv: Path) -> Path:
    """LiteLLM's proxy in a throwaway venv (never a Routr dependency)."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "litellm[proxy]"], check=True)
    return venv / "bin" / "litellm"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--delays", default="0,50", help="mock answer delays in ms")
    parser.add_argument("--no-litellm", action="store_true", help="skip LiteLLM's proxy")
    parser.add_argument(
        "--gateway-workers", type=int, default=1,
        help="worker processes of each gateway (Routr's --workers, LiteLLM's --num_workers)",
    )  # fmt: skip
    parser.add_argument(
        "--generator", choices=GENERATORS, default="loadgen",
        help="loadgen: paced, open loop (default); hey: closed loop, lockstep bursts",
    )  # fmt: skip
    parser.add_argument(
        "--arrivals", choices=loadgen.ARRIVALS, default="constant",
        help="loadgen's schedule: evenly spaced, or Poisson (seeded)",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=None,
        help="hey's concurrent clients (default rate/10, at most 50): the size of each burst",
    )  # fmt: skip
    parser.add_argument("--litellm-venv", type=Path, default=None, help="reuse this venv")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--mock", nargs=2, metavar=("PORT", "DELAY_MS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mock:
        run_mock(int(args.mock[0]), float(args.mock[1]))
        return
    if args.generator == "hey" and shutil.which("hey") is None:
        raise SystemExit("needs `hey` (apt-get install hey), or --generator loadgen")
    print(describe_generator(args.generator, args.rate, args.workers, args.arrivals), flush=True)
    work = Path(tempfile.mkdtemp(prefix="routr-serve-bench-"))
    litellm_bin: Path | None = None
    if not args.no_litellm:
        litellm_bin = (
            args.litellm_venv / "bin" / "litellm"
            if args.litellm_venv
            else install_litellm(work / "litellm-venv")
        )
    results: list[dict[str, Any]] = []
    for delay in [float(d) for d in args.delays.split(",")]:
        mock_port = free_port()
        mock = subprocess.Popen([sys.executable, __file__, "--mock", str(mock_port), str(delay)])
        procs = [mock]
        try:
            wait_ready(f"http://127.0.0.1:{mock_port}/", mock)
            mock_url = f"http://127.0.0.1:{mock_port}/v1"
            gateways = {"direct": (mock_url, "m", "rk-bench")}
            routr, routr_port = start_routr(work, mock_port, "rk-bench", args.gateway_workers)
            procs.append(routr)
            gateways["routr"] = (f"http://127.0.0.1:{routr_port}/v1", "mock/m", "rk-bench")
            if litellm_bin is not None:
                lite_cfg = work / "litellm.yaml"
                lite_cfg.write_text(
                    "model_list:\n  - model_name: m\n    litellm_params:\n"
                    f"      model: openai/m\n      api_base: {mock_url}\n      api_key: x\n"
                )
                lite_port = free_port()
                lite = subprocess.Popen(
                    [str(litellm_bin), "--config", str(lite_cfg), "--port", str(lite_port),
                     "--host", "127.0.0.1", "--num_workers", str(args.gateway_workers)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    env=dict(os.environ, LITELLM_MASTER_KEY=LITELLM_KEY),
                )  # fmt: skip
                procs.append(lite)
                wait_ready(f"http://127.0.0.1:{lite_port}/health/liveliness", lite, 300)
                gateways["litellm"] = (f"http://127.0.0.1:{lite_port}/v1", "m", LITELLM_KEY)
            for stream in (False, True):
                row: dict[str, Any] = {
                    "delay_ms": delay, "stream": stream, "generator": args.generator
                }  # fmt: skip
                for name, (url, model, key) in gateways.items():
                    send_load(args.generator, url, model, stream, min(args.rate, 20), 1, key)
                    load = send_load(
                        args.generator, url, model, stream, args.rate, args.duration, key,
                        args.workers, args.arrivals,
                    )  # fmt: skip
                    row[name] = summary(load.latencies)
                    row[name]["generator_cpu_ms"] = load.cpu_ms
                    if load.error_kinds is not None:
                        row[name]["error_kinds"] = load.error_kinds
                for name in gateways:
                    if name != "direct":
                        row[name]["added_p50_ms"] = row[name]["p50_ms"] - row["direct"]["p50_ms"]
                        row[name]["added_p99_ms"] = row[name]["p99_ms"] - row["direct"]["p99_ms"]
                results.append(row)
                print(format_row(row), flush=True)
        finally:
            for proc in reversed(procs):
                stop(proc)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    shutil.rmtree(work, ignore_errors=True)


def error_kinds(fig: dict[str, Any]) -> str:
    """`` (timeout 12, reset 3)`` when there were errors and their kinds are known."""
    kinds = {k: v for k, v in fig.get("error_kinds", {}).items() if v}
    return f" ({', '.join(f'{k} {v}' for k, v in kinds.items())})" if kinds else ""


def format_row(row: dict[str, Any]) -> str:
    parts = [f"delay {row['delay_ms']:g} ms, {'streamed' if row['stream'] else 'whole'}:"]
    for name in ("direct", "routr", "litellm"):
        if name in row:
            fig = row[name]
            added = (
                f", added p50 {fig['added_p50_ms']:+.2f} ms p99 {fig['added_p99_ms']:+.2f} ms"
                if "added_p50_ms" in fig
                else ""
            )
            cpu = fig.get("generator_cpu_ms", math.nan) * 1000
            parts.append(
                f"  {name:8s} n={fig['n']} p50 {fig['p50_ms']:.2f} ms p99 {fig['p99_ms']:.2f} ms "
                f"errors {fig['errors']}{error_kinds(fig)}{added}, {row.get('generator', 'hey')} CPU "
                f"{cpu:.0f} us/request"
            )
    return "\n".join(parts)


if __name__ == "__main__":
    main()
