"""Who owns a sandbox container, and whether that owner is still alive.

Every container Routr starts carries labels naming the process that started it: its
pid, the pid's start time (pids are reused; the pair is not), the pid namespace and the
host's boot id (a pid means nothing on another host or after a reboot). Two mechanisms
use them:

- the container ends itself when its owner dies: its idle process reads a stdin that
  the owner holds open through an attached socket, and the container is created with
  ``StdinOnce``, so when the owner dies -- even by SIGKILL -- the kernel closes the
  socket, Docker closes the container's stdin, the idle process reads EOF and exits,
  and the container stops (within a second or two);
- every Routr start that uses Docker reaps orphans: containers whose owner is gone are
  removed, running or stopped. An owner on another host or in another pid namespace
  cannot be checked from here, and a container from an older Routr has no owner labels:
  both are left alone (``routr sandbox prune --force`` removes them).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from routr_cli.sandbox.engine import IMAGE_LABEL, MANAGED_LABEL

OWNER_PID_LABEL = "routr.owner.pid"
OWNER_START_LABEL = "routr.owner.start"
OWNER_BOOT_LABEL = "routr.owner.boot"
OWNER_PIDNS_LABEL = "routr.owner.pidns"
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")

OwnerState = Literal["alive", "gone", "unknown"]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def process_start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot ("" when it does not exist).

    Field 22 of ``/proc/PID/stat``; the command name before it may hold spaces and
    parentheses, so the fields are counted after its last ``)``.
    """
    stat = _read(Path(f"/proc/{pid}/stat"))
    if ")" not in stat:
        return ""
    fields = stat.rsplit(")", 1)[1].split()
    return fields[19] if len(fields) > 19 else ""


def pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def owner_labels(pid: int | None = None) -> dict[str, str]:
    """The labels naming this process (or ``pid``) as a container's owner."""
    pid = os.getpid() if pid is None else pid
    return {
        OWNER_PID_LABEL: str(pid),
        OWNER_START_LABEL: process_start_time(pid),
        OWNER_BOOT_LABEL: _read(BOOT_ID_FILE),
        OWNER_PIDNS_LABEL: pid_namespace(),
    }


def owner_state(labels: dict[str, str]) -> OwnerState:
    """``gone`` only when we can be sure: same boot, same pid namespace, and that pid is
    not running or is a different process (another start time)."""
    pid = labels.get(OWNER_PID_LABEL, "")
    start = labels.get(OWNER_START_LABEL, "")
    boot = labels.get(OWNER_BOOT_LABEL, "")
    pidns = labels.get(OWNER_PIDNS_LABEL, "")
    if not (pid.isdigit() and start and boot and pidns):
        return "unknown"  # an older Routr's container, or labels we cannot read
    if boot != _read(BOOT_ID_FILE) or pidns != pid_namespace():
        return "unknown"  # another host or container: its processes are not ours to see
    return "alive" if process_start_time(int(pid)) == start else "gone"


@dataclass(frozen=True)
class Candidate:
    """A Routr container and why it may (or may not) be removed."""

    name: str
    image: str
    status: str  # Docker's: running, exited, created...
    owner: OwnerState


def routr_containers(client: Any) -> list[Candidate]:
    """Every container Routr labelled, from one list call.

    The low-level list: the SDK's ``containers.list`` inspects each container after
    listing, and fails outright when one is removed in between -- which, on an engine
    other routr processes share, happens all the time.
    """
    found = []
    for row in client.api.containers(all=True, filters={"label": f"{MANAGED_LABEL}=true"}):
        labels = row.get("Labels") or {}
        names = row.get("Names") or [str(row.get("Id", ""))[:12]]
        found.append(
            Candidate(
                str(names[0]).lstrip("/"),
                labels.get(IMAGE_LABEL, ""),
                str(row.get("State", "")),
                owner_state(labels),
            )
        )
    return found


def remove_container(client: Any, name: str) -> bool:
    """Force-remove ``name``; False when it was already gone (someone else removed it)."""
    from docker.errors import APIError, NotFound

    try:
        client.api.remove_container(name, force=True, v=True)
    except NotFound:
        return False
    except APIError as exc:  # "removal already in progress": someone else removes it
        if "in progress" in str(exc):
            return False
        raise
    return True


def select_removable(
    candidates: Iterable[Candidate], *, force: bool, images: set[str] | None = None
) -> list[Candidate]:
    """Orphans (owner gone), or every one with ``force``; only ``images`` when given."""
    return [
        c
        for c in candidates
        if (images is None or c.image in images) and (force or c.owner == "gone")
    ]


def reap_orphans(client: Any, log: Callable[[str], None] = lambda _line: None) -> list[str]:
    """Remove every Routr container whose owner is gone; their names. A container that
    vanished meanwhile (another routr reaping at the same time) is skipped."""
    removed: list[str] = []
    for candidate in select_removable(routr_containers(client), force=False):
        if remove_container(client, candidate.name):
            removed.append(candidate.name)
            log(f"removed orphaned container {candidate.name} (its routr process is gone)")
    return removed


_reaped = False
_reap_lock = threading.Lock()


def reap_orphans_once(client: Any) -> list[str]:
    """:func:`reap_orphans` on this process's first use of Docker; later calls do nothing.

    Best effort: a failure here must not stop the command that merely wanted Docker
    (the engine's own errors surface at that command's next call anyway).
    """
    global _reaped
    with _reap_lock:
        if _reaped:
            return []
        _reaped = True
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    try:
        return reap_orphans(client)
    except (DockerException, RequestException, OSError):
        return []
