"""The connection to the Docker engine: clients with timeouts, errors mapped once.

Every Docker call Routr makes goes through a client made here, so every call has a
timeout and every engine failure becomes one ``SandboxUnavailable`` line that names
the fix. The ``docker`` SDK is imported inside functions so that ``routr --help``
never pays for it.

Thread safety: ``requests`` sessions (which the SDK uses) are not documented as
thread-safe, and exec streams hijack a connection, so :func:`thread_client` keeps one
client per thread (and per timeout) instead of sharing one across the bench runner's
worker threads.
"""

from __future__ import annotations

import threading
from typing import Any

from routr_cli.errors import SandboxUnavailable

MANAGED_LABEL = "routr.managed"
IMAGE_LABEL = "routr.image"
RECIPE_LABEL = "routr.recipe"
KIND_LABEL = "routr.kind"

API_TIMEOUT_S = 30.0
NOT_RUNNING = (
    "Docker engine is not running: start it (make setup does, or `dockerd &` as root) and try again"
)

_local = threading.local()


def new_client(timeout: float = API_TIMEOUT_S) -> Any:
    """A fresh ``docker.DockerClient`` from the environment, checked with a ping."""
    import docker
    from docker.errors import DockerException

    try:
        client = docker.from_env(timeout=int(timeout) or 1)
        client.ping()
    except DockerException as exc:
        raise SandboxUnavailable(f"{NOT_RUNNING} ({_first_line(exc)})") from exc
    except OSError as exc:
        raise SandboxUnavailable(f"{NOT_RUNNING} ({_first_line(exc)})") from exc
    return client


def thread_client(timeout: float = API_TIMEOUT_S) -> Any:
    """This thread's client for ``timeout`` (made on first use, reused afterwards)."""
    clients: dict[float, Any] | None = getattr(_local, "clients", None)
    if clients is None:
        clients = {}
        _local.clients = clients
    client = clients.get(timeout)
    if client is None:
        client = new_client(timeout)
        clients[timeout] = client
    return client


def unavailable(action: str, exc: BaseException) -> SandboxUnavailable:
    """Map a foreign Docker failure to one line naming what failed and the fix."""
    from docker.errors import APIError

    text = _first_line(exc)
    if isinstance(exc, APIError):
        text = _first_line(exc.explanation or exc)
    lowered = text.lower()
    if "connection refused" in lowered or ("no such file" in lowered and "sock" in lowered):
        return SandboxUnavailable(f"{NOT_RUNNING} ({action}: {text})")
    if "timed out" in lowered or "timeout" in lowered:
        return SandboxUnavailable(
            f"Docker engine did not answer in time while trying to {action}: "
            f"check `docker info` and retry ({text})"
        )
    return SandboxUnavailable(
        f"Docker failed to {action}: {text} (check `docker info`, then retry)"
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
