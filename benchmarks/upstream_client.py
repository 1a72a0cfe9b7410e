"""CPU per upstream call of the gateway's HTTP client, next to httpx's AsyncClient.

`routr serve` spends its CPU on two sides: the ASGI side (uvicorn, Starlette, routing) and
the upstream side (the call to the provider). This isolates the second: it starts the
local mock upstream (``serve_overhead.py --mock``, a raw ASGI app on uvicorn, in its own
process) and, in this process on uvloop, sends ``--requests`` calls with ``--concurrency``
in flight through

- ``httpx.AsyncClient`` (a plain POST read whole: what the gateway used before),
- ``UpstreamPool`` (the same POST: the gateway's client now),
- ``AsyncChat.complete`` and ``AsyncChat.stream`` over ``UpstreamPool`` (the whole
  provider path the gateway runs: request body, headers, key, body checks, parsing),

and prints this process's CPU time per call (``time.process_time``: the machine's load
does not move it much; the mock's CPU is not counted).

    python benchmarks/upstream_client.py                  # 3000 calls per case
    python benchmarks/upstream_client.py --requests 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_overhead import BODY, free_port, mock_provider_env, stop, wait_ready

SMOKE_ARGS = ["--requests", "40", "--concurrency", "4"]
SMOKE_DOCKER = False


async def timed(requests: int, concurrency: int, call: Callable[[], Awaitable[None]]) -> float:
    """CPU ms per call: ``concurrency`` workers share ``requests`` calls."""

    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    share = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    await asyncio.gather(*(worker(min(50, n)) for n in share))  # warm: connections, caches
    began = time.process_time()
    await asyncio.gather(*(worker(n) for n in share))
    return (time.process_time() - began) * 1000 / requests


async def cases(args: argparse.Namespace, mock_port: int) -> None:
    import httpx

    from routr_cli.providers.async_http import AsyncChat
    from routr_cli.providers.base import ChatRequest, ChatResponse, Message
    from routr_cli.providers.http_provider import HttpChatProvider
    from routr_cli.providers.registry import resolve_model
    from routr_cli.providers.upstream_pool import UpstreamPool

    url = f"http://127.0.0.1:{mock_port}/v1/chat/completions"
    body = json.dumps(dict(BODY, model="m")).encode()
    headers = {"content-type": "application/json", "authorization": "Bearer x"}
    timeout = httpx.Timeout(10.0)
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200)

    async with httpx.AsyncClient(limits=limits) as client:

        async def via_httpx() -> None:
            response = await client.post(url, content=body, headers=headers, timeout=timeout)
            assert response.status_code == 200 and response.content

        figures = {
            "httpx.AsyncClient POST": await timed(args.requests, args.concurrency, via_httpx)
        }

    pool = UpstreamPool(max_connections=1000, max_idle=200)

    async def via_pool() -> None:
        async with pool.stream(
            "POST", url, headers=headers, content=body, timeout=timeout
        ) as response:
            assert response.status_code == 200 and await response.aread()

    figures["UpstreamPool POST"] = await timed(args.requests, args.concurrency, via_pool)

    with httpx.Client() as sync_client:
        provider = resolve_model("mock/m", sync_client).provider
    assert isinstance(provider, HttpChatProvider)
    chat = AsyncChat(provider, pool)
    request = ChatRequest(model="m", messages=[Message("user", "Say hello in one line.")])

    async def complete() -> None:
        assert (await chat.complete(request)).text

    async def stream() -> None:
        items = [item async for item in chat.stream(request)]
        assert isinstance(items[-1], ChatResponse)

    figures["AsyncChat.complete"] = await timed(args.requests, args.concurrency, complete)
    figures["AsyncChat.stream"] = await timed(args.requests, args.concurrency, stream)
    await pool.aclose()
    for name, ms in figures.items():
        print(f"{name:24s} n={args.requests} c={args.concurrency} {ms * 1000:7.1f} us CPU/call")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    import uvloop

    work = Path(tempfile.mkdtemp(prefix="routr-upstream-"))
    port = free_port()
    script = str(Path(__file__).parent / "serve_overhead.py")
    mock = subprocess.Popen([sys.executable, script, "--mock", str(port), "0"])
    try:
        wait_ready(f"http://127.0.0.1:{port}/", mock)
        os.environ.update(mock_provider_env(work, port, "unused"))
        uvloop.run(cases(args, port))
    finally:
        stop(mock)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
