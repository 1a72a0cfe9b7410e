"""A real install: the wheel built from this tree, installed into a fresh virtual
environment, works from another folder with the bundled suite and sandbox recipes inside
the package. And the declared dependencies are what the code imports.

Offline: the wheel is built with the test environment's setuptools (no build isolation)
and installed with ``--no-index``; its dependencies come from the test environment's own
site-packages, linked into the fresh environment (everything but routr itself).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from routr_cli.paths import PACKAGE_DIR, PROJECT_ROOT
from routr_cli.tasks.load import load_tasks_lenient

SOURCE_PARTS = ("routr_cli", "tasks", "sandboxes", "pyproject.toml", "setup.py", "MANIFEST.in",
                "README.md")  # fmt: skip
CACHES = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules",
    "_bundled", "*.egg-info",
)  # fmt: skip


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ROUTR_", "PYTHON", "VIRTUAL_ENV", "PIP_"))
    }
    env["PATH"] = os.defpath
    return {**env, **extra}


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _build_wheel(tmp: Path) -> Path:
    """Build from a copy of the tree, so the checkout gets no build/ or egg-info."""
    source = tmp / "src"
    source.mkdir()
    for part in SOURCE_PARTS:
        origin = PROJECT_ROOT / part
        if origin.is_dir():
            shutil.copytree(origin, source / part, ignore=CACHES)
        else:
            shutil.copy2(origin, source / part)
    dist = tmp / "dist"
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--disable-pip-version-check", "-q", "-w", dist, source,
        cwd=tmp, env=_clean_env(),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("routr_cli-*.whl")
    return wheel


def _fresh_venv(tmp: Path) -> Path:
    """A new environment whose only extra path is a folder of links to the test
    environment's installed packages, routr itself (and its editable hooks) left out."""
    venv = tmp / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp, env=_clean_env())
    assert made.returncode == 0, made.stderr
    shared = Path(sysconfig.get_paths()["purelib"])
    deps = tmp / "deps"
    deps.mkdir()
    for entry in shared.iterdir():
        name = entry.name.lower()
        if name.startswith(("routr", "__editable__", "_routr")) or name.endswith(".pth"):
            continue
        (deps / entry.name).symlink_to(entry)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "shared_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    return venv


def test_the_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "routr_cli/_bundled/sandboxes/python/Dockerfile" in names
    assert any(
        n.startswith("routr_cli/_bundled/tasks/") and n.endswith("/task.toml") for n in names
    )
    assert "routr_cli/store/migrations/001_initial.sql" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    venv = _fresh_venv(tmp_path)
    python = venv / "bin" / "python"
    env = _clean_env()
    installed = _run(
        python, "-m", "pip", "install", "--no-index", "--find-links", wheel.parent,
        "--disable-pip-version-check", "-q", "routr-cli", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    checked = _run(python, "-m", "pip", "check", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # Another folder, with a ./tasks that must NOT replace the bundled suite.
    elsewhere = tmp_path / "elsewhere"
    decoy = elsewhere / "tasks" / "decoy"
    decoy.mkdir(parents=True)
    (decoy / "task.toml").write_text('id = "decoy"\n', encoding="utf-8")
    routr = venv / "bin" / "routr"
    version = _run(routr, "--version", cwd=elsewhere, env=env)
    assert version.returncode == 0 and version.stdout.startswith("routr "), version.stderr

    listed = _run(routr, "tasks", "list", "--json", cwd=elsewhere, env=env)
    assert listed.returncode == 0, listed.stderr
    ids = sorted(t["id"] for t in json.loads(listed.stdout))
    bundled, _ = load_tasks_lenient(PROJECT_ROOT / "tasks")
    assert ids == sorted(t.id for t in bundled) and "decoy" not in ids

    where = _run(
        python, "-c",
        "import routr_cli.paths as p; print(p.default_tasks_dir()); print(p.sandboxes_dir())",
        cwd=elsewhere, env=env,
    )  # fmt: skip
    tasks_dir, sandboxes = map(Path, where.stdout.split())
    assert tasks_dir.is_relative_to(venv) and sandboxes.is_relative_to(venv), where.stdout
    assert (sandboxes / "python" / "Dockerfile").is_file()

    # The classifier learns from the bundled suite's prompts: found inside the package.
    classified = _run(
        python, "-c",
        "from routr_cli.ranking.classifier import bundled_examples, classify; "
        "print(len(bundled_examples())); "
        "print(max(classify('fix the data race in the worker pool').categories.items(), "
        "key=lambda kv: kv[1])[0])",
        cwd=elsewhere, env=env,
    )  # fmt: skip
    assert classified.returncode == 0, classified.stderr
    assert classified.stdout.split() == [str(len(bundled)), "concurrency"], classified.stdout

    chosen = _run(routr, "tasks", "list", "--json", cwd=elsewhere,
                  env={**env, "ROUTR_TASKS": str(elsewhere / "tasks")})  # fmt: skip
    assert "decoy" in chosen.stdout + chosen.stderr  # ROUTR_TASKS still chooses another


def _declared() -> set[str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        re.split(r"[<>=!~ \[;]", dep, maxsplit=1)[0].lower().replace("_", "-")
        for dep in project["project"]["dependencies"]
    }


def _imported_distributions() -> dict[str, str]:
    """{distribution: a file importing it} for every third-party import in routr_cli."""
    owners = metadata.packages_distributions()
    found: dict[str, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "routr_cli":
                    continue
                for dist in owners.get(top, [top]):
                    found.setdefault(dist.lower().replace("_", "-"), str(path))
    return found


def test_every_imported_library_is_a_declared_dependency() -> None:
    imported = _imported_distributions()
    missing = {dist: where for dist, where in imported.items() if dist not in _declared()}
    assert missing == {}, "add these to [project].dependencies (pinned, as in requirements.lock)"


def test_every_declared_dependency_is_imported() -> None:
    unused = _declared() - set(_imported_distributions())
    assert unused == set(), "drop these from [project].dependencies, or use them"


@pytest.mark.parametrize("pin", sorted(_declared()))
def test_declared_dependencies_are_pinned_as_locked(pin: str) -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    (spec,) = [
        d for d in project["project"]["dependencies"]
        if d.lower().replace("_", "-").startswith(pin + "==")
    ]  # fmt: skip
    assert spec.lower().replace("_", "-") in lock.replace("_", "-").splitlines()
