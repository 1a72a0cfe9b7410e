"""The sandbox contract every backend implements (after inspect_ai's).

A sandbox is a context manager around one fresh, isolated environment holding a
repository at ``/work``. ``exec`` never raises for what the code inside did: a
non-zero exit, a timeout or an out-of-memory kill is an ``ExecResult``.
``SandboxUnavailable`` (from ``routr_cli.errors``) means the infrastructure failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from routr_cli.errors import SandboxUnavailable
from routr_cli.tasks.model import Limits

WORKDIR = "/work"
DEFAULT_OUTPUT_CAP = 64 * 1024
TRUNCATION_MARK = "\n[... output truncated by routr ...]\n"


class UnknownSandboxImage(SandboxUnavailable):
    """A task or command names an image that has no recipe (``sandboxes/<name>/``).

    It stays a ``SandboxUnavailable`` so grading records it as a sandbox error and a
    bench run goes on; ``routr tasks validate`` tells it apart because it is one task's
    mistake, not the infrastructure failing for every task. The CLI exits 2 (bad
    configuration), as for any other name nobody knows.
    """

    exit_code = 2


@dataclass(frozen=True)
class ExecResult:
    """What one command did: a value even when it failed, so hostile code is just data.

    ``truncated`` says the output was cut (``TRUNCATION_MARK`` shows where), so a reader
    never mistakes a capped log for the whole story.
    """

    exit_code: int | None  # None when killed at the timeout
    stdout: str
    stderr: str
    duration_s: float
    timed_out: bool = False
    oom_killed: bool = False
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(frozen=True)
class SandboxSpec:
    """What to start: an image name (a folder of ``sandboxes/``) and resource limits."""

    image: str
    limits: Limits = Limits()  # noqa: RUF009 (frozen, so sharing one default is safe)
    network: bool = False


class Sandbox(Protocol):
    """One isolated environment, alive inside ``with``; backends differ, graders do not.

    Grading, validation and solvers speak only this protocol, so a second backend
    (a VM, a remote runner) passes the same conformance suite and changes nothing else.
    """

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def write_files(self, files: dict[str, str | bytes], root: str = WORKDIR) -> None:
        """Write files at paths relative to ``root``, creating folders."""
        ...

    def remove(self, paths: list[str], root: str = WORKDIR) -> None:
        """Remove files or folders (recursively) relative to ``root``; missing is fine."""
        ...

    def read_file(self, path: str) -> str | None:
        """The text of an absolute path inside the sandbox, or None if absent."""
        ...

    def exec(
        self,
        cmd: str | list[str],
        timeout: float,
        env: dict[str, str] | None = None,
        workdir: str = WORKDIR,
    ) -> ExecResult:
        """Run ``cmd`` (a shell string runs under ``sh -c``); kill the tree at ``timeout``."""
        ...

    def kill_strays(self) -> bool:
        """Kill every process a command left running (detached ones too); True once none
        is left. Grading calls it before reading a report, so nothing rewrites it."""
        ...


class SandboxFactory(Protocol):
    """Makes a fresh sandbox per grading (``backend.open(spec)``)."""

    def open(self, spec: SandboxSpec) -> Sandbox: ...


def cap_output(text: str, cap: int = DEFAULT_OUTPUT_CAP) -> tuple[str, bool]:
    """Keep the head and tail of ``text`` within ``cap`` characters, marking the cut."""
    if len(text) <= cap:
        return text, False
    half = cap // 2
    return text[:half] + TRUNCATION_MARK + text[-half:], True


# Linux limits for a name part (NAME_MAX) and a whole path (PATH_MAX, counting the
# NUL and the /work/ prefix every sandbox path gets): past them tar cannot create the file.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 4096 - len(WORKDIR) - 2
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class WriteRejected(ValueError):
    """The files could not be written because of what they are, not because the sandbox
    failed: a name the filesystem refuses, a file where a folder must be, a full ``/work``.

    A change from a model is hostile data: grading turns this into that attempt's
    failure (``unappliable``), never a ``SandboxUnavailable`` that would stop a whole run.
    """


def path_problem(path: str) -> str | None:
    """Why ``path`` cannot be a file relative to ``/work`` in a sandbox, or None.

    One rule set for every layer that handles a model's paths (the edit parser, grading,
    the tar writer), so what the parser accepts is exactly what the sandbox can write:
    relative POSIX, no ``..``, valid UTF-8 without control characters, each name part at
    most 255 bytes and the whole path within PATH_MAX.
    """
    if not path or path.startswith("/") or "\\" in path:
        return f"sandbox paths must be relative POSIX paths, got {shown_path(path)}"
    if _CONTROL.search(path):
        return f"control character in path {shown_path(path)}"
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:
        return f"path is not valid Unicode: {shown_path(path)}"
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return f"sandbox paths may not be empty or contain '..', got {shown_path(path)}"
    longest = max(parts, key=lambda p: len(p.encode("utf-8")))
    if len(longest.encode("utf-8")) > MAX_NAME_BYTES:
        return f"a file or folder name longer than {MAX_NAME_BYTES} bytes: {shown_path(longest)}"
    if len(encoded) > MAX_PATH_BYTES:
        return f"path longer than {MAX_PATH_BYTES} bytes: {shown_path(path)}"
    return None


def shown_path(text: str, limit: int = 80) -> str:
    """``text`` for a one-line message: repr'd (control characters visible) and shortened."""
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[: limit - 20]}...({len(text)} chars)"


def check_relative(path: str) -> str:
    """``path`` normalised, or ValueError naming why a sandbox cannot hold it."""
    problem = path_problem(path)
    if problem is not None:
        raise ValueError(problem)
    return "/".join(p for p in path.split("/") if p not in ("", "."))
