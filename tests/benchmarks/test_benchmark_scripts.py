"""Every script in benchmarks/ has a smoke run, so none can rot unnoticed.

A script gets one of two ways, and a script with neither fails here:

- it declares, at module level, the smallest meaningful run, and this module runs it
  with those arguments in a subprocess (the way people run it), failing on a crash:

      SMOKE_ARGS = ["--runs", "1"]   # the arguments of its tiny run
      SMOKE_DOCKER = True            # whether that run needs the Docker engine

- or a test file of its own here (``test_benchmark_<name>.py``, or one that covers
  several scripts) runs it, naming its file, and checks what it prints.

The figures are not checked against their targets here: speed targets are met by
running the scripts at full size (timed tests on a shared machine would be flaky); a
script may exit 1 when it printed "ABOVE TARGET". Declarations are read with ``ast``,
so collecting these tests imports nothing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from routr_cli.paths import PROJECT_ROOT

BENCHMARKS = PROJECT_ROOT / "benchmarks"
SMOKE_TIMEOUT_S = 240


def declared(script: Path) -> dict[str, object]:
    """The script's module-level SMOKE_* constants."""
    found: dict[str, object] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.startswith("SMOKE_"):
                found[target.id] = ast.literal_eval(node.value)
    return found


SCRIPTS = sorted(BENCHMARKS.glob("*.py"))
DECLARED = [script for script in SCRIPTS if "SMOKE_ARGS" in declared(script)]


def own_smoke_tests(script: Path) -> list[Path]:
    """The other test files here that run ``script`` (they name its file)."""
    here = Path(__file__)
    return [
        test
        for test in sorted(here.parent.glob("test_*.py"))
        if test != here and script.name in test.read_text(encoding="utf-8")
    ]


def smoke_params() -> list[object]:
    params: list[object] = []
    for script in DECLARED:
        marks = [pytest.mark.docker] if declared(script).get("SMOKE_DOCKER", True) else []
        params.append(pytest.param(script, id=script.name, marks=marks))
    return params


def test_every_benchmark_has_a_smoke_run() -> None:
    assert SCRIPTS, f"no scripts under {BENCHMARKS}"
    for script in SCRIPTS:
        found = declared(script)
        if "SMOKE_ARGS" not in found:
            assert own_smoke_tests(script), (
                f"{script.name} has no smoke run: declare SMOKE_ARGS = [...] and "
                f"SMOKE_DOCKER in it, or add tests/benchmarks/test_benchmark_"
                f"{script.stem}.py that runs it"
            )
            continue
        args = found["SMOKE_ARGS"]
        assert isinstance(args, list) and all(isinstance(a, str) for a in args), (
            f"{script.name}: SMOKE_ARGS must be a list of strings (the arguments of a tiny run)"
        )
        assert isinstance(found.get("SMOKE_DOCKER"), bool), (
            f"{script.name}: declare SMOKE_DOCKER = True or False"
        )


@pytest.mark.parametrize("script", smoke_params())
def test_benchmark_runs_at_a_tiny_size(script: Path) -> None:
    args = declared(script).get("SMOKE_ARGS")
    assert isinstance(args, list)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        cwd=PROJECT_ROOT,
        env=env,
        check=False,
    )
    report = f"{script.name} {' '.join(args)}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr, report
    assert proc.returncode == 0 or (proc.returncode == 1 and "ABOVE TARGET" in proc.stdout), report
    assert proc.stdout.strip(), report
