"""Start ``routr serve``: checks before binding, the simulated models, uvicorn workers.

Each uvicorn worker is a process that builds its own ``Gateway`` (``create_app``, a
factory uvicorn calls in the worker) from settings passed in ``ROUTR_SERVE_SETTINGS``:
stateless apart from its breakers, rate counters and its own call-log file, so workers
and instances scale out behind any load balancer (docs/serve.md).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError

SETTINGS_ENV = "ROUTR_SERVE_SETTINGS"

# How uvicorn runs the gateway (``benchmarks/serve_cpu.py`` runs it the same way):
# uvloop and httptools (C event loop and parser), no access log (a log line per request
# is a write per request), no proxy-headers middleware (an ASGI layer per request that
# rewrites the client address from X-Forwarded-For: Routr never reads it), no Server
# header, a deep accept backlog for bursts, and idle keep-alive connections closed after
# 5 s so idle clients cannot pile up.
UVICORN_SETTINGS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "httptools",
    "access_log": False,
    "proxy_headers": False,
    "server_header": False,
    "backlog": 4096,
    "log_level": "warning",
    "timeout_keep_alive": 5,
    "timeout_graceful_shutdown": 30,
    "h11_max_incomplete_event_size": 64 * 1024,
}


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    db: str = "reports/routr.duckdb"
    log_dir: str = "reports/serve"
    keys_file: str | None = None
    no_auth: bool = False
    rpm: float | None = None
    usd_per_day: float | None = None
    max_body_bytes: int = 1_000_000
    max_messages: int = 256
    deadline_s: float = 120.0
    read_timeout_s: float = 15.0
    log_content: bool = False
    sim_latency: float = 1.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check(options: ServeOptions) -> None:
    """Everything that can be refused before binding, each as one line naming the fix."""
    from routr_cli.serve.guard import KEYS_ENV, load_keys

    if not 0 <= options.port <= 65535:
        raise ConfigError(f"--port {options.port}: use 1-65535 (0 picks a free one)")
    if options.workers < 1:
        raise ConfigError("--workers must be at least 1")
    if options.no_auth and not is_loopback(options.host):
        raise ConfigError(
            f"--no-auth is only allowed on loopback, not {options.host}: set {KEYS_ENV} or "
            "--keys-file, or bind --host 127.0.0.1"
        )
    keys = load_keys(
        Path(options.keys_file) if options.keys_file else None,
        default_rpm=options.rpm,
        default_budget=options.usd_per_day,
    )
    if not options.no_auth and not keys:
        raise ConfigError(
            f"no API keys: set {KEYS_ENV}=KEY[,KEY...] or --keys-file FILE "
            "(or --no-auth on loopback)"
        )
    log_dir = Path(options.log_dir)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the log folder {log_dir}: {exc.strerror} (pass --log-dir)"
        ) from None
    if not os.access(log_dir, os.W_OK):
        raise ConfigError(f"the log folder {log_dir} is not writable (pass --log-dir)")


def create_app() -> Any:
    """uvicorn's factory, called in each worker process."""
    from routr_cli.router.executor import ExecutorSettings
    from routr_cli.serve.app import ServeSettings, build_app, load_gateway
    from routr_cli.serve.guard import Guard, load_keys

    options = ServeOptions(**json.loads(os.environ[SETTINGS_ENV]))
    keys = load_keys(
        Path(options.keys_file) if options.keys_file else None,
        default_rpm=options.rpm,
        default_budget=options.usd_per_day,
    )
    name = "calls.duckdb" if options.workers == 1 else f"calls-{os.getpid()}.duckdb"
    settings = ServeSettings(
        db=Path(options.db),
        log_path=Path(options.log_dir) / name,
        require_auth=not options.no_auth,
        max_body_bytes=options.max_body_bytes,
        max_messages=options.max_messages,
        deadline_s=options.deadline_s,
        read_timeout_s=options.read_timeout_s,
        log_content=options.log_content,
        executor=ExecutorSettings(deadline_s=options.deadline_s),
    )
    app = build_app(load_gateway(settings, Guard(keys, require=not options.no_auth)))
    tune_gc()
    return app


def tune_gc() -> None:
    """Once a worker has loaded everything (standings, catalog, classifier, clients):
    move what exists into the collector's permanent generation, so no collection walks it
    again, and collect the young generation less often. A request allocates a few hundred
    containers; at the default threshold (700) a collection ran every request or two, and
    every tenth-of-a-tenth walked the whole start-up heap (a p99 pause)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


@contextlib.contextmanager
def sim_models(options: ServeOptions) -> Iterator[None]:
    """Serve the simulated models in-process (as bench and call do) unless one is configured;
    the workers inherit ``ROUTR_SIM_BASE_URL``."""
    from routr_cli.providers.sim.server import SIM_BASE_URL_ENV, sim_models_served

    if os.environ.get(SIM_BASE_URL_ENV):
        yield
        return
    with sim_models_served(None, 0, options.sim_latency):
        yield


def run(options: ServeOptions, announce: Callable[[str], None] = print) -> None:
    # uvicorn loads its event loop and HTTP parser by name: import them here so a broken
    # install fails now, in one line, rather than in every worker.
    import httptools  # noqa: F401
    import uvicorn
    import uvloop  # noqa: F401

    check(options)
    workers = f"{options.workers} worker{'s' if options.workers != 1 else ''}"
    announce(
        f"routr serve: http://{options.host}:{options.port}/v1 ({workers}, standings from "
        f"{options.db}, call logs in {options.log_dir}); Ctrl-C or SIGTERM stops"
    )
    os.environ[SETTINGS_ENV] = json.dumps(asdict(options))
    with sim_models(options):
        uvicorn.run(
            "routr_cli.serve.runner:create_app",
            factory=True,
            host=options.host,
            port=options.port,
            workers=options.workers,
            **UVICORN_SETTINGS,
        )
