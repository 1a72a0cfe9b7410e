"""Where Routr looks for things by default, in one place.

The bundled suite and the sandbox recipes ship inside the installed package
(``routr_cli/_bundled/tasks`` and ``.../sandboxes``, put there by setup.py when a wheel is
built); in a source checkout or an editable install they are read where they live, beside
the package (``tasks/``, ``sandboxes/``). The bundled suite is used unless ``--tasks`` or
``ROUTR_TASKS`` names another: a ``./tasks`` folder in the current directory does not
silently replace it. Generated output goes to ``reports/`` under the current directory.
Environment variables override: ``ROUTR_DB``, ``ROUTR_TASKS``, ``ROUTR_SANDBOXES``,
``ROUTR_REPORTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
BUNDLED_DIR = PACKAGE_DIR / "_bundled"


def _bundled(name: str) -> Path:
    """The installed copy of a bundled folder, else the checkout's."""
    packaged = BUNDLED_DIR / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def reports_dir() -> Path:
    return Path(os.environ.get("ROUTR_REPORTS", "reports"))


def default_db() -> Path:
    return Path(os.environ.get("ROUTR_DB", str(reports_dir() / "routr.duckdb")))


def bundled_tasks_dir() -> Path:
    """The suite that ships with Routr, wherever it was installed."""
    return _bundled("tasks")


def default_tasks_dir() -> Path:
    """``ROUTR_TASKS`` when set, else the bundled suite (never the current directory's)."""
    env = os.environ.get("ROUTR_TASKS")
    return Path(env) if env else bundled_tasks_dir()


def sandboxes_dir() -> Path:
    return Path(os.environ.get("ROUTR_SANDBOXES") or _bundled("sandboxes"))
