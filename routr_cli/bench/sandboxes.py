"""A sandbox factory that remembers the containers one run opened.

Each sandbox removes its container on exit, even on Ctrl-C; this is the backstop for
the ones a cancelled worker was still inside: at the end of an interrupted or failed
run, every container this run opened and that still exists is removed -- and only
those, since other routr processes may be grading on the same engine.
"""

from __future__ import annotations

import threading

from routr_cli.sandbox.base import Sandbox, SandboxFactory, SandboxSpec


class TrackingBackend:
    def __init__(self, inner: SandboxFactory) -> None:
        self.inner = inner
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def open(self, spec: SandboxSpec) -> Sandbox:
        sandbox = self.inner.open(spec)
        name = getattr(sandbox, "name", None)
        if isinstance(name, str):
            with self._lock:
                self._names.add(name)
        return sandbox

    @property
    def names(self) -> set[str]:
        with self._lock:
            return set(self._names)

    def prune(self) -> list[str]:
        """Force-remove this run's containers that still exist; return their names."""
        names = self.names
        if not names:
            return []
        from docker.errors import DockerException, NotFound
        from requests.exceptions import RequestException

        from routr_cli.errors import SandboxUnavailable
        from routr_cli.sandbox.engine import MANAGED_LABEL, new_client

        removed: list[str] = []
        try:
            client = new_client()
            for container in client.containers.list(
                all=True, filters={"label": f"{MANAGED_LABEL}=true"}
            ):
                if container.name in names:
                    try:
                        container.remove(force=True, v=True)
                    except NotFound:
                        continue
                    removed.append(container.name)
        except (DockerException, RequestException, SandboxUnavailable, OSError):
            return removed  # a dead engine: nothing we can remove now (`routr sandbox prune`)
        return removed
