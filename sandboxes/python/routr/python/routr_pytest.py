"""Routr's pytest plugin for graded runs (loaded with ``-p routr_pytest``, never autoloaded).

1. /work goes on the import path only after pytest and its plugins are loaded, so the
   tests can import the repository as with ``python -m pytest`` but the repository
   cannot stand in for the runner.
2. The JUnit report is sealed at the end of the session: its SHA-256 is written to file
   descriptor 3, a pipe to the host that nothing else writes to. A rewrite after the
   session (an ``atexit`` handler, a detached process) no longer matches the seal, and a
   second seal on the pipe makes the run tampered, never a pass.

Everything this module needs is imported here, before /work is on the path, so a
``hashlib.py`` in the repository cannot replace it.
"""

from __future__ import annotations

import hashlib
import os
import sys

import pytest

WORKDIR = "/work"
SEAL_FD = 3

try:
    os.set_inheritable(SEAL_FD, False)  # subprocesses of the tests never see the pipe
except OSError:
    pass


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):  # type: ignore[no-untyped-def]
    if WORKDIR not in sys.path:
        sys.path.insert(0, WORKDIR)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    path = getattr(session.config.option, "xmlpath", None)
    if not path:
        return
    try:
        with open(path, "rb") as report:
            digest = hashlib.sha256(report.read()).hexdigest()
        os.write(SEAL_FD, f"routr-seal sha256={digest}\n".encode())
    except OSError:
        pass
