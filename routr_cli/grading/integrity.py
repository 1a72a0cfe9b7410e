"""Is the report the one the test run wrote at the end of its session? (pure)

Routr's reporters (the pytest plugin, the Node reporter, go-junit; see ``runners``)
write the report, then its SHA-256 as one line ``routr-seal sha256=<hex>`` on file
descriptor 3, a pipe to the host. The grader kills every process left in the sandbox
and only then reads the report. So:

- a report rewritten after the session (an ``atexit`` handler, a detached process)
  no longer matches its seal: tampered;
- a second write on the pipe (a forged seal for a forged report) makes the pipe's
  content invalid: tampered, never a pass;
- no seal at all means the runner never reached the end of its session (a crash, an
  ``os._exit`` at import): the report, if any, is not trusted, and a run without a
  trusted report is not solved when the task lists its tests.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

SEAL_LINE = re.compile(r"routr-seal sha256=([0-9a-f]{64})")
SealState = Literal["sealed", "unsealed", "tampered"]


@dataclass(frozen=True)
class SealCheck:
    """The verdict on one report: ``sealed`` (trust it), ``unsealed`` (ignore it: the
    session never ended), ``tampered`` (a contradiction, named in ``detail``)."""

    state: SealState
    detail: str = ""


def check_seal(pipe: str, report: str | None) -> SealCheck:
    """Compare what came through the seal pipe with the report read afterwards."""
    lines = [line for line in pipe.splitlines() if line.strip()]
    if not lines:
        return SealCheck("unsealed", "the test run ended without sealing a report")
    if len(lines) > 1:
        return SealCheck("tampered", "more than one write on the report's seal pipe")
    match = SEAL_LINE.fullmatch(lines[0].strip())
    if match is None:
        return SealCheck("tampered", "something other than a seal was written on its pipe")
    if report is None:
        return SealCheck("tampered", "the sealed report was removed after the run")
    if hashlib.sha256(report.encode("utf-8")).hexdigest() != match.group(1):
        return SealCheck("tampered", "the report was rewritten after it was sealed")
    return SealCheck("sealed")
