"""Packaging hook: the bundled suite (``tasks/``) and the sandbox recipes (``sandboxes/``)
go into the wheel as ``routr_cli/_bundled/tasks`` and ``routr_cli/_bundled/sandboxes``.

They stay where they are in the checkout (people edit them there, and an editable install
reads them there: ``routr_cli.paths`` looks in the package first, then beside it). Every
other setting is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("tasks", "sandboxes")
# What never belongs in a task or a recipe (caches, dependencies a test run fetched).
SKIPPED_PARTS = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules", ".git"}
)


def bundled_files(name: str) -> list[tuple[Path, str]]:
    """(source file, path under routr_cli/_bundled/<name>) for one bundled folder."""
    base = ROOT / name
    inside = base.resolve()
    found = []
    for source in sorted(base.rglob("*")):
        rel = source.relative_to(base)
        if not source.is_file() or SKIPPED_PARTS & set(rel.parts) or source.suffix == ".pyc":
            continue
        if inside not in source.resolve().parents:  # a link out of the folder: not ours
            continue
        found.append((source, rel.as_posix()))
    return found


class BuildPyWithBundled(build_py):
    """``build_py`` that also copies the bundled folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads tasks/ and sandboxes/ from the checkout
        for name in BUNDLED:
            for source, rel in bundled_files(name):
                target = Path(self.build_lib) / "routr_cli" / "_bundled" / name / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildPyWithBundled})
