"""The Docker sandbox: one fresh, locked-down container per grading.

Isolation (every container): no network, every capability dropped,
``no-new-privileges``, uid 10001 (never root), read-only root filesystem, memory with
no swap, a CPU quota and a pids limit from the task's limits. Only two places are
writable, both size-limited tmpfs mounts charged to the container's memory: ``/work``
(owned by the sandbox user) and ``/tmp``.

Why files go in through ``exec tar -x`` on stdin: ``put_archive`` (``docker cp``)
refuses a read-only root filesystem and cannot see tmpfs mounts, and a volume would
cost a create/remove per grading. A tar stream over an exec is one round trip and
leaves the files owned by the sandbox user.

PID 1 is Docker's init (tini), which reaps every orphan, so the pids a fork bomb used
are freed once it dies. Its child idles in a shell builtin and, on SIGUSR1, runs the
builtin ``kill -9 -1``: the "sweep" that kills every other process without needing a
new one, so it works even when leftover processes hold every pid.

Timeouts are enforced twice: inside, the command runs under ``timeout -s KILL`` (which
kills its whole process group without forking, so it works during a fork bomb) and the
sandbox is swept afterwards; outside, Routr stops reading at the deadline plus a grace
period, sweeps, and as a last resort kills the container.

Thread safety: a ``DockerBackend`` may be shared by threads; each thread talks to the
engine through its own client (see ``engine.thread_client``). A single ``DockerSandbox``
belongs to the thread that opened it.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import threading
import time
import uuid
from dataclasses import replace
from types import TracebackType
from typing import Any, Self

from routr_cli.errors import SandboxUnavailable
from routr_cli.sandbox.base import (
    DEFAULT_OUTPUT_CAP,
    WORKDIR,
    ExecResult,
    SandboxSpec,
    WriteRejected,
    check_relative,
)
from routr_cli.sandbox.docker_container import (
    SANDBOX_USER,
    close_lifeline,
    could_not_start,
    start_container,
    sweep,
    tar_bytes,
)
from routr_cli.sandbox.engine import thread_client, unavailable
from routr_cli.sandbox.exec_stream import Demuxer, pump, raw_socket, send_stdin
from routr_cli.sandbox.images import resolve_image
from routr_cli.sandbox.owner import reap_orphans_once
from routr_cli.text import plural

OP_TIMEOUT_S = 60.0  # writing, reading and removing files
KILL_GRACE_S = 2.0  # host-side wait beyond the in-sandbox timeout before sweeping
DRAIN_WAIT_S = 3.0  # after a sweep, wait this long for the stream to end, then kill all
EXIT_STATUS_WAIT_S = 10.0  # the engine can record an exec's exit status late
READ_LIMIT = 32 * 1024 * 1024
TAR_REFUSED = (1, 2)  # GNU tar's exit codes for files it could not create
# ...unless tar says the sandbox itself is wrong (a read-only or foreign folder): that is
# Routr's or the engine's fault, never the content's, and must not pass as a model's failure.
SANDBOX_FAULTS = ("Read-only file system", "Permission denied")
OOM_COUNTER_FILES = ("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events")
_OOM_KILL_RE = re.compile(r"^oom_kill (\d+)$", re.MULTILINE)


class SandboxStopped(SandboxUnavailable):
    """The container stopped because of the code inside (it killed the idle process).

    That is the model's doing, not the infrastructure's: ``exec`` reports it as a failed
    command and ``read_file`` finds nothing, so grading records a failure, not an outage.
    """


class DockerBackend:
    """Makes a fresh :class:`DockerSandbox` per ``open(spec)``; safe to share across threads.

    Image names resolve to their current recipe tag once per backend and are cached:
    rebuilding images mid-run keeps this backend on the tags it started with.
    """

    def __init__(self, *, output_cap: int = DEFAULT_OUTPUT_CAP) -> None:
        self.output_cap = output_cap
        self._tags: dict[str, str] = {}
        self._cpus: float | None = None
        self._lock = threading.Lock()

    def image_tag(self, name: str) -> str:
        """The built tag for recipe ``name``; raises when it is unknown or not built."""
        with self._lock:
            cached = self._tags.get(name)
        if cached is not None:
            return cached
        client = thread_client()
        reap_orphans_once(client)  # the first Docker use of this process
        tag = resolve_image(name, client)
        with self._lock:
            self._tags[name] = tag
        return tag

    def engine_cpus(self) -> float:
        """How many CPUs the engine's host has (asked once).

        Docker refuses a CPU quota above that count, but a quota is only a ceiling: on
        a 2-core host, a task written for 4 CPUs gets the 2 there are instead of failing
        as if the engine were down.
        """
        with self._lock:
            cached = self._cpus
        if cached is not None:
            return cached
        from docker.errors import DockerException
        from requests.exceptions import RequestException

        try:
            cpus = float(thread_client().info()["NCPU"])
        except (DockerException, RequestException, OSError, KeyError, TypeError) as exc:
            raise unavailable("read the engine's CPU count", exc) from exc
        with self._lock:
            self._cpus = cpus
        return cpus

    def open(self, spec: SandboxSpec) -> DockerSandbox:
        return DockerSandbox(self, spec)


class DockerSandbox:
    """One container, alive between ``__enter__`` and ``__exit__`` (removed even on Ctrl-C)."""

    def __init__(self, backend: DockerBackend, spec: SandboxSpec) -> None:
        self.backend = backend
        self.spec = spec
        self.container_id: str | None = None
        self.name = f"routr-{spec.image}-{uuid.uuid4().hex[:12]}"
        self._dead: str | None = None
        self._lifeline: Any = None  # the attached stdin; see ``owner``
        self._stopped_inside = False
        self._oom_kills = 0

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> Self:
        tag = self.backend.image_tag(self.spec.image)
        host_cpus = self.backend.engine_cpus()
        if self.spec.limits.cpus > host_cpus:
            self.spec = replace(self.spec, limits=replace(self.spec.limits, cpus=host_cpus))
        try:
            self.container_id, self._lifeline = start_container(
                thread_client(), tag, self.spec, self.name
            )
        except BaseException:
            self._remove()  # by name: it may exist even though creating or starting failed
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._remove()

    def _remove(self) -> None:
        """Force-remove the container; never raises (``routr sandbox prune`` is the backstop)."""
        if self._dead == "the sandbox was closed":
            return
        from docker.errors import DockerException
        from requests.exceptions import RequestException

        with contextlib.suppress(DockerException, RequestException, SandboxUnavailable, OSError):
            thread_client().api.remove_container(self.container_id or self.name, force=True, v=True)
        close_lifeline(self._lifeline)  # after the removal: closing it first stops the container
        self._lifeline = None
        self.container_id = None
        self._dead = "the sandbox was closed"

    # -- the protocol ------------------------------------------------------------------
    def write_files(self, files: dict[str, str | bytes], root: str = WORKDIR) -> None:
        if not files:
            return
        try:
            archive = tar_bytes(files)
        except ValueError as exc:  # a bad path, or text that is not valid Unicode
            raise WriteRejected(f"the sandbox cannot hold these files: {exc}") from exc
        result = self._run(
            ["tar", "-x", "-m", "-f", "-", "-C", root], stdin=archive, limit=OP_TIMEOUT_S
        )
        infrastructure = any(sign in result.stderr for sign in SANDBOX_FAULTS)
        if result.exit_code in TAR_REFUSED and not infrastructure:
            # tar ran and refused the files themselves (a name too long, a full /work):
            # the content's doing, so it fails that grading, not the whole run.
            raise WriteRejected(f"the sandbox refused the files: {_one_line(result.stderr)}")
        if result.exit_code != 0:
            raise SandboxUnavailable(
                f"writing {plural(len(files), 'file')} into the sandbox failed: {_one_line(result.stderr)}"
            )

    def remove(self, paths: list[str], root: str = WORKDIR) -> None:
        if not paths:
            return
        targets = [posixpath.join(root, check_relative(p)) for p in paths]
        result = self._run(["rm", "-rf", "--", *targets], limit=OP_TIMEOUT_S)
        if result.exit_code != 0:
            raise SandboxUnavailable(
                f"removing files in the sandbox failed: {_one_line(result.stderr)}"
            )

    def read_file(self, path: str) -> str | None:
        if not path.startswith("/"):
            raise ValueError(f"read_file needs an absolute path, got {path!r}")
        try:
            result = self._run(["cat", "--", path], limit=OP_TIMEOUT_S, cap=READ_LIMIT)
        except SandboxStopped:
            return None
        if result.exit_code != 0:
            return None
        return result.stdout

    def exec(
        self,
        cmd: str | list[str],
        timeout: float,
        env: dict[str, str] | None = None,
        workdir: str = WORKDIR,
    ) -> ExecResult:
        argv = ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        if not argv:
            raise ValueError("exec needs a command")
        if timeout <= 0:
            raise ValueError(f"exec timeout must be positive, got {timeout}")
        wrapped = ["timeout", "-s", "KILL", f"{timeout:.3f}s", *argv]
        start = time.monotonic()
        try:
            return self._run(wrapped, env=env, workdir=workdir, limit=timeout, enforce=True)
        except SandboxStopped as exc:
            return ExecResult(
                exit_code=137,
                stdout="",
                stderr=f"routr: {exc}\n",
                duration_s=time.monotonic() - start,
                oom_killed=self._state_oom_killed(),
            )

    def kill_strays(self) -> bool:
        # A second try: on a busy host the idle shell can be slow to acknowledge a sweep.
        return self._sweep() or self._sweep()

    # -- machinery ---------------------------------------------------------------------
    def _alive_id(self) -> str:
        if self._stopped_inside:
            raise SandboxStopped(f"sandbox {self.name} stopped: {self._dead}")
        if self.container_id is None or self._dead:
            raise SandboxUnavailable(
                f"sandbox {self.name} is not running ({self._dead or 'use it inside `with`'})"
            )
        return self.container_id

    def _run(
        self,
        argv: list[str],
        *,
        limit: float,
        stdin: bytes | None = None,
        env: dict[str, str] | None = None,
        workdir: str = WORKDIR,
        enforce: bool = False,
        cap: int | None = None,
    ) -> ExecResult:
        """Run ``argv``; ``enforce`` makes ``limit`` a timeout that kills, else an error.

        Routr's own operations (not ``enforce``) that fail to start, typically because
        processes the command left behind hold every pid, sweep the sandbox and retry once;
        so does a command whose ``timeout`` wrapper could not fork it for the same reason.
        """
        if enforce:
            result = self._run_once(argv, limit, stdin, env, workdir, enforce, cap)
            if could_not_start(result) and self._sweep():
                return self._run_once(argv, limit, stdin, env, workdir, enforce, cap)
            return result
        try:
            result = self._run_once(argv, limit, stdin, env, workdir, enforce, cap)
        except SandboxUnavailable:
            if not self._sweep():
                raise
            return self._run_once(argv, limit, stdin, env, workdir, enforce, cap)
        if result.exit_code is not None and result.exit_code >= 125 and self._sweep():
            return self._run_once(argv, limit, stdin, env, workdir, enforce, cap)
        return result

    def _run_once(
        self,
        argv: list[str],
        limit: float,
        stdin: bytes | None,
        env: dict[str, str] | None,
        workdir: str,
        enforce: bool,
        cap: int | None,
    ) -> ExecResult:
        from docker.errors import DockerException
        from requests.exceptions import RequestException

        container = self._alive_id()
        client = thread_client()
        cap = cap or self.backend.output_cap
        demux = Demuxer(cap)
        start = time.monotonic()
        try:
            exec_id = client.api.exec_create(
                container,
                argv,
                stdin=stdin is not None,
                user=SANDBOX_USER,
                environment=env or None,
                workdir=workdir,
            )["Id"]
            handle = client.api.exec_start(exec_id, socket=True)
            sock = raw_socket(handle)
            try:
                if stdin is not None:
                    send_stdin(sock, stdin, OP_TIMEOUT_S)
                grace = KILL_GRACE_S if enforce else 0.0
                finished = pump(sock, demux, start + limit + grace)
                if not finished and not enforce:
                    raise SandboxUnavailable(
                        f"sandbox operation {argv[0]!r} did not finish in {limit:.0f} s: "
                        "the Docker engine may be overloaded; retry"
                    )
                if not finished:
                    finished = self._sweep_and_drain(sock, demux)
            finally:
                sock.close()
            exit_code = self._exit_code(exec_id) if finished else None
        except (DockerException, RequestException, OSError) as exc:
            if self._container_stopped():
                self._stopped_inside = True
                self._dead = "the code inside killed its idle process, which stops the container"
                raise SandboxStopped(f"sandbox {self.name} stopped: {self._dead}") from exc
            raise unavailable(f"run {argv[0]!r} in sandbox {self.name}", exc) from exc
        duration = time.monotonic() - start
        timed_out = enforce and duration >= limit and exit_code in (None, 137)
        oom = exit_code == 137 and not timed_out and self._oom_happened()
        stdout, cut_out = demux.stdout.text(cap)
        stderr, cut_err = demux.stderr.text(cap)
        if timed_out:
            self._sweep()
        return ExecResult(
            exit_code=None if timed_out else exit_code,
            stdout=stdout,
            stderr=stderr,
            duration_s=duration,
            timed_out=timed_out,
            oom_killed=oom,
            truncated=cut_out or cut_err,
        )

    def _exit_code(self, exec_id: str) -> int | None:
        """The exit status once the engine has recorded it (it can lag the stream's end)."""
        api = thread_client().api
        deadline = time.monotonic() + EXIT_STATUS_WAIT_S
        pause = 0.002
        while True:
            info = api.exec_inspect(exec_id)
            if not info.get("Running"):
                code = info.get("ExitCode")
                return int(code) if code is not None else None
            if time.monotonic() > deadline:
                raise SandboxUnavailable(
                    f"the Docker engine did not report an exit status in {EXIT_STATUS_WAIT_S:.0f} s "
                    "(it may be overloaded): retry"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _sweep(self) -> bool:
        """Kill every process but the idlers; True once that is confirmed."""
        if self.container_id is None or self._dead:
            return False
        return sweep(thread_client().api, self.container_id)

    def _sweep_and_drain(self, sock: Any, demux: Demuxer) -> bool:
        """After the host deadline: sweep, give the stream a moment, else kill the container."""
        if self._sweep() and pump(sock, demux, time.monotonic() + DRAIN_WAIT_S):
            return True
        from docker.errors import DockerException
        from requests.exceptions import RequestException

        with contextlib.suppress(DockerException, RequestException, OSError):
            thread_client().api.kill(self.container_id)
        self._dead = "it was killed after a command outlived its timeout"
        return False

    def _oom_happened(self) -> bool:
        """Did the kernel OOM-kill something since the last check (cgroup oom_kill counter)?"""
        for path in OOM_COUNTER_FILES:
            try:
                result = self._run(["cat", path], limit=OP_TIMEOUT_S)
            except SandboxStopped:
                break
            match = _OOM_KILL_RE.search(result.stdout) if result.exit_code == 0 else None
            if match:
                count = int(match.group(1))
                happened = count > self._oom_kills
                self._oom_kills = count
                return happened
        return self._state_oom_killed()

    def _state(self) -> dict[str, Any] | None:
        from docker.errors import DockerException
        from requests.exceptions import RequestException

        if self.container_id is None:
            return None
        try:
            state = thread_client().api.inspect_container(self.container_id)["State"]
        except (DockerException, RequestException, OSError, KeyError):
            return None
        return state if isinstance(state, dict) else None

    def _state_oom_killed(self) -> bool:
        """Docker's own record: was the container's init OOM-killed?"""
        state = self._state()
        return bool(state and state.get("OOMKilled"))

    def _container_stopped(self) -> bool:
        """Does the engine answer and say the container is no longer running?"""
        state = self._state()
        return state is not None and not state.get("Running", True)


def _one_line(text: str, limit: int = 200) -> str:
    """Command output folded into one short line, for an error message that must be one."""
    return " ".join(text.split())[:limit] or "no output"
