"""One BLAS thread wherever routr's statistics run (routr_cli/__init__.py): the thread
count moves the last digits of bootstrap figures, so `routr rank`, `routr recommend` and
the site must all run with the same one, whatever imported numpy first."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(env: dict[str, str], code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_routr_pins_one_blas_thread_before_numpy_loads() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = "import routr_cli, os; print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    assert _run(env, code) == "1"
    # Control: a process that never imports routr has no pin (numpy would use every core).
    assert _run(env, "import numpy, os; print(os.environ.get('OPENBLAS_NUM_THREADS'))") == "None"


def test_a_callers_own_setting_wins() -> None:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="4")
    assert _run(env, "import routr_cli, os; print(os.environ.get('OPENBLAS_NUM_THREADS'))") == "4"
