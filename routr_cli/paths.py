"""Where Routr looks for things by default, in one place.

The bundled suite and the sandbox recipes live beside the package in a source checkout
(``tasks/``, ``sandboxes/``); generated output goes to ``reports/`` under the current
directory. Environment variables override: ``ROUTR_DB``, ``ROUTR_TASKS``, ``ROUTR_HOME``.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def reports_dir() -> Path:
    return Path(os.environ.get("ROUTR_REPORTS", "reports"))


def default_db() -> Path:
    return Path(os.environ.get("ROUTR_DB", str(reports_dir() / "routr.duckdb")))


def default_tasks_dir() -> Path:
    env = os.environ.get("ROUTR_TASKS")
    if env:
        return Path(env)
    local = Path("tasks")
    if local.is_dir() and any(local.glob("*/task.toml")):
        return local
    return PROJECT_ROOT / "tasks"


def sandboxes_dir() -> Path:
    return Path(os.environ.get("ROUTR_SANDBOXES", str(PROJECT_ROOT / "sandboxes")))
