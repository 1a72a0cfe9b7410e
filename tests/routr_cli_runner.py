"""Run the installed ``routr`` console script in a subprocess, as a user would.

One helper for every CLI test: the environment is the test process's without any
``ROUTR_*`` variable (a developer's ROUTR_DB or ROUTR_TASKS must not steer a test),
plus what the test passes in ``env``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROUTR = Path(sys.executable).parent / "routr"


def run_routr(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``input_text`` is fed to standard input (None: stdin is inherited)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    return subprocess.run(
        [str(ROUTR), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input_text,
        cwd=cwd,
        env={**base, **(env or {})},
    )
