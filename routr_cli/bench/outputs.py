"""Where a bench writes, checked before the first model call.

A report that cannot be written used to fail after every attempt had run (and been
paid for): a directory given as ``--json``, a path under a file, a folder without write
permission, a read-only working folder for the default database. Each is one line up
front now. The check creates (and removes) a probe file in the target folder: permission
bits alone do not tell a read-only mount, nor what root may do.

``-`` means standard output for ``--json`` and ``--junit``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from routr_cli.errors import ConfigError, StoreError

STDOUT = "-"


def is_stdout(path: Path | None) -> bool:
    return path is not None and str(path) == STDOUT


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def folder_problem(folder: Path) -> str | None:
    """Why files cannot be created in ``folder`` (made if missing), or None."""
    existing = _nearest_existing(folder)
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".routr-write-check-", dir=folder)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return None


def check_output_file(path: Path | None, flag: str) -> None:
    """``path`` (a report file) can be written, or a one-line ``ConfigError``."""
    if path is None or is_stdout(path):
        return
    if path.is_dir():
        raise ConfigError(
            f"{flag} {path}: is a folder; give a file path, e.g. {path / ('bench' + _ext(flag))}"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigError(f"{flag} {path}: the file is not writable; pick another path")
    problem = folder_problem(path.parent if str(path.parent) else Path("."))
    if problem:
        raise ConfigError(f"{flag} {path}: cannot write there ({problem}); pick another path")


def check_database_path(path: Path) -> None:
    """The results database can be created or opened for writing (a ``StoreError``)."""
    if path.is_dir():
        raise StoreError(
            f"--db {path}: is a folder; give a database file, e.g. {path / 'routr.duckdb'}"
        )
    problem = folder_problem(path.parent if str(path.parent) else Path("."))
    if problem:
        raise StoreError(
            f"cannot create the results database {path} ({problem}): pass --db PATH "
            "or set ROUTR_DB (or ROUTR_REPORTS) to a writable place"
        )


def _ext(flag: str) -> str:
    return ".xml" if "junit" in flag else ".json"


def check_outputs(json_out: Path | None, junit_out: Path | None, db: Path) -> None:
    """Every place a bench writes, before any model is called."""
    if is_stdout(json_out) and is_stdout(junit_out):
        raise ConfigError("--json - and --junit -: only one of them can go to standard output")
    check_output_file(json_out, "--json")
    check_output_file(junit_out, "--junit")
    check_database_path(db)


def write_report(path: Path, flag: str, write: Callable[[Path | None], None]) -> None:
    """Run ``write(path)`` (``write(None)``: standard output); a failure is one line.

    Reached after the run, so the message says the attempts are safe: re-running the
    same command with another path writes the report without running anything again.
    """
    try:
        write(None if is_stdout(path) else path)
    except OSError as exc:
        raise ConfigError(
            f"{flag} {path}: writing failed ({exc.strerror or type(exc).__name__}); the "
            "attempts are recorded: run the same command with another path to get the report"
        ) from exc
    if is_stdout(path):
        sys.stdout.flush()
