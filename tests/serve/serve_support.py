"""Helpers shared by the serve tests (a uniquely named module: `from conftest import`
is ambiguous across the repo's test folders)."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from router.router_support import FALLBACK, PRIMARY, stat

from routr_cli.router.executor import ExecutorSettings
from routr_cli.router.policy import RoutingTable
from routr_cli.serve.guard import KeyPolicy, hash_key

CALLER_KEY = "rk-test-caller-0123456789"
FAST = ExecutorSettings(
    deadline_s=6.0, candidate_s=2.0, connect_s=1.0, first_byte_s=0.5, complete_read_s=0.5,
    max_attempts=2, base_delay_s=0.01, max_delay_s=0.05, long_open_s=600.0,
)  # fmt: skip
# PRIMARY is best overall and for concurrency; FALLBACK (another provider) best for
# data-processing and second elsewhere.
TABLE = RoutingTable(
    {
        "all": (stat(PRIMARY, 0.8, 0.7, 0.9, 1), stat(FALLBACK, 0.5, 0.4, 0.6, 2)),
        "concurrency": (stat(PRIMARY, 0.8, 0.7, 0.9, 1, category="concurrency"),),
        "data-processing": (
            stat(FALLBACK, 0.9, 0.8, 0.95, 1, category="data-processing"),
            stat(PRIMARY, 0.3, 0.2, 0.4, 2, category="data-processing"),
        ),
    }
)


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


def caller_key(rpm: float | None = None, usd_per_day: float | None = None) -> KeyPolicy:
    return KeyPolicy("team-a", hash_key(CALLER_KEY), rpm, usd_per_day)


def wait_for_health(
    url: str,
    server: subprocess.Popen[str],
    *,
    ready: Callable[[httpx.Response], bool] = lambda r: r.status_code == 200,
    timeout_s: float = 30.0,
) -> None:
    """Poll ``url``/healthz until ``ready`` says so; fail with the server's stderr if it
    exits or the time runs out (a started `routr serve` subprocess)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if ready(httpx.get(url + "/healthz")):
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() >= deadline or server.poll() is not None:
            raise AssertionError(server.stderr.read() if server.stderr else "no stderr")
        time.sleep(0.1)
