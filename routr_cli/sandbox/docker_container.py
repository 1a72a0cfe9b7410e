"""How a sandbox container is made, swept and fed files (the Docker-specific details).

``docker_backend`` holds the protocol logic; this module holds what it asks the engine
for: the locked-down container configuration, the fork-free "sweep" of leftover
processes, and the tar stream that carries files in.
"""

from __future__ import annotations

import contextlib
import io
import tarfile
import time
from typing import Any

from routr_cli.sandbox.base import WORKDIR, ExecResult, SandboxSpec, check_relative
from routr_cli.sandbox.engine import IMAGE_LABEL, KIND_LABEL, MANAGED_LABEL, unavailable
from routr_cli.sandbox.exec_stream import raw_socket
from routr_cli.sandbox.images import SANDBOX_UID
from routr_cli.sandbox.owner import owner_labels

WORK_TMPFS_MB = 512  # both tmpfs mounts are also charged to the memory limit
TMP_TMPFS_MB = 512
SWEEP_WAIT_S = 3.0
SANDBOX_USER = f"{SANDBOX_UID}:{SANDBOX_UID}"
# The container's idle process, under Docker's init (tini: PID 1, reaps every orphan).
# It blocks in the builtin ``read`` on a stdin its owner holds open (see ``owner``) and,
# on SIGUSR1, runs the builtin ``kill -9 -1``: neither needs a new process, so it works
# even when the command left behind processes that hold every pid. ``kill -1`` spares
# the caller and PID 1. A ``read`` cut short by the sweep's trap is not an EOF (the
# ``swept`` flag); a real EOF means the owner is gone, and the idle process exits, which
# stops the container.
SWEEP_ACK = b"SWEPT\n"
IDLE_SCRIPT = (
    "trap 'kill -9 -1; swept=1; echo SWEPT' USR1; trap 'exit 0' TERM; "
    'while :; do swept=; read _ || [ -n "$swept" ] || exit 0; done'
)
IDLE_COMMAND = ["sh", "-c", IDLE_SCRIPT]
IDLE_ARGS = f"sh -c {IDLE_SCRIPT}"
WRAPPER_FORK_FAILED = "timeout: fork system call failed"
RUNTIME_EXEC_FAILED = "OCI runtime exec failed"


def could_not_start(result: ExecResult) -> bool:
    """The command never ran: runc or the ``timeout`` wrapper could not create a process."""
    text = result.stdout[:500] + result.stderr[:500]
    return (result.exit_code == 125 and WRAPPER_FORK_FAILED in text) or (
        result.exit_code == 126 and RUNTIME_EXEC_FAILED in text
    )


def tar_bytes(files: dict[str, str | bytes]) -> bytes:
    """An uncompressed tar of ``files`` (``#!`` scripts executable), for ``tar -x`` inside."""
    buffer = io.BytesIO()
    now = time.time()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for rel in sorted(files):
            content = files[rel]
            data = content.encode("utf-8") if isinstance(content, str) else content
            info = tarfile.TarInfo(check_relative(rel))
            info.size = len(data)
            info.mtime = int(now)
            info.mode = 0o755 if data.startswith(b"#!") else 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def start_container(client: Any, tag: str, spec: SandboxSpec, name: str) -> tuple[str, Any]:
    """Create and start one locked-down sandbox container: its id and the lifeline.

    The lifeline is a socket attached to the container's stdin (``StdinOnce``): keep it
    open while the sandbox is in use; when it closes -- by ``close()`` or because this
    process died -- the container's idle process reads EOF and the container stops.
    """
    from docker.errors import DockerException
    from docker.types import LogConfig
    from requests.exceptions import RequestException

    limits = spec.limits
    memory = f"{int(limits.memory_mb)}m"
    host_config = client.api.create_host_config(
        network_mode="bridge" if spec.network else "none",
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        pids_limit=int(limits.pids),
        mem_limit=memory,
        memswap_limit=memory,  # equal to the memory limit: no swap
        nano_cpus=int(limits.cpus * 1e9),
        read_only=True,
        init=True,
        log_config=LogConfig(type="json-file", config={"max-size": "1m"}),
        tmpfs={
            WORKDIR: f"rw,exec,size={WORK_TMPFS_MB}m,uid={SANDBOX_UID},gid={SANDBOX_UID},mode=0755",
            "/tmp": f"rw,exec,size={TMP_TMPFS_MB}m,mode=1777",
        },
    )
    labels = {
        MANAGED_LABEL: "true",
        IMAGE_LABEL: spec.image,
        KIND_LABEL: "sandbox",
        **owner_labels(),
    }
    lifeline: Any = None
    try:
        created = client.api.create_container(
            tag,
            command=IDLE_COMMAND,
            stdin_open=True,  # with detach=False the SDK also sets StdinOnce
            user=SANDBOX_USER,
            name=name,
            labels=labels,
            working_dir=WORKDIR,
            host_config=host_config,
            network_disabled=not spec.network,
        )
        container_id = str(created["Id"])
        # Attached before the start: with StdinOnce, stdin closes when this (the first)
        # attached client goes away.
        lifeline = client.api.attach_socket(container_id, params={"stdin": 1, "stream": 1})
        client.api.start(container_id)
    except (DockerException, RequestException, OSError) as exc:
        close_lifeline(lifeline)
        raise unavailable(f"start a sandbox from {tag}", exc) from exc
    return container_id, lifeline


def close_lifeline(lifeline: Any) -> None:
    """Close a container's stdin socket (the container then stops by itself)."""
    if lifeline is None:
        return
    with contextlib.suppress(OSError, TypeError):
        raw_socket(lifeline).close()
    with contextlib.suppress(OSError, AttributeError):
        lifeline.close()


def sweep(api: Any, container_id: str) -> bool:
    """Kill every process but the idlers; True once the sweep ran and they are alone.

    The idle shell acknowledges each sweep by printing ``SWEPT`` to the container log,
    so Routr never starts its next command while a sweep is still in flight (it would
    be killed too). Signals coalesce, so an unacknowledged sweep is simply re-sent.
    """
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    deadline = time.monotonic() + SWEEP_WAIT_S
    try:
        while time.monotonic() < deadline:
            acknowledged = _sweeps_acknowledged(api, container_id)
            api.kill(container_id, signal="SIGUSR1")
            for _ in range(10):
                time.sleep(0.01)
                if _sweeps_acknowledged(api, container_id) <= acknowledged:
                    continue
                top = api.top(container_id, ps_args="-eo pid,args")
                column = top["Titles"].index("COMMAND")
                busy = [p for p in top["Processes"] if not p[column].endswith(IDLE_ARGS)]
                if not busy:
                    return True
                break
    except (DockerException, RequestException, OSError, KeyError, ValueError):
        return False
    return False


def _sweeps_acknowledged(api: Any, container_id: str) -> int:
    log = api.logs(container_id, stdout=True, stderr=False)
    return int(bytes(log).count(SWEEP_ACK))
