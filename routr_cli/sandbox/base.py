"""The sandbox contract every backend implements (after inspect_ai's).

A sandbox is a context manager around one fresh, isolated environment holding a
repository at ``/work``. ``exec`` never raises for what the code inside did: a
non-zero exit, a timeout or an out-of-memory kill is an ``ExecResult``.
``SandboxUnavailable`` (from ``routr_cli.errors``) means the infrastructure failed.
"""

from __future__ import annotations

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


class SandboxFactory(Protocol):
    """Makes a fresh sandbox per grading (``backend.open(spec)``)."""

    def open(self, spec: SandboxSpec) -> Sandbox: ...


def cap_output(text: str, cap: int = DEFAULT_OUTPUT_CAP) -> tuple[str, bool]:
    """Keep the head and tail of ``text`` within ``cap`` characters, marking the cut."""
    if len(text) <= cap:
        return text, False
    half = cap // 2
    return text[:half] + TRUNCATION_MARK + text[-half:], True


def check_relative(path: str) -> str:
    """``path`` normalised, or ValueError when it is absolute or climbs out with ``..``."""
    if not path or path.startswith("/") or "\\" in path or "\0" in path:
        raise ValueError(f"sandbox paths must be relative POSIX paths, got {path!r}")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise ValueError(f"sandbox paths may not be empty or contain '..', got {path!r}")
    return "/".join(parts)
