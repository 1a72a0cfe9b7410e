"""Solvers: how a model attacks a task (``edit``, ``repair``); see ``base`` for the seam.

Imports stay light: the solver classes load on first use through ``get_solver``.
"""

from __future__ import annotations

import difflib
import importlib
from typing import TYPE_CHECKING, Any

from routr_cli.errors import ConfigError

if TYPE_CHECKING:
    from routr_cli.solvers.base import Solver, SolveResult

# name -> "module:Class", imported on first use
SOLVERS: dict[str, str] = {
    "edit": "routr_cli.solvers.edit:EditSolver",
    "repair": "routr_cli.solvers.repair:RepairSolver",
}

__all__ = ["SOLVERS", "SolveResult", "get_solver"]


def get_solver(name: str, **params: Any) -> Solver:
    """The solver called ``name``, built with ``params``; unknown names get a suggestion."""
    target = SOLVERS.get(name)
    if target is None:
        close = difflib.get_close_matches(name, list(SOLVERS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown solver {name!r}: {hint}(known: {', '.join(sorted(SOLVERS))})")
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    try:
        solver: Solver = cls(**params)
    except TypeError as exc:
        raise ConfigError(f"bad parameters for solver {name!r}: {exc}") from exc
    return solver


def __getattr__(name: str) -> Any:
    if name == "SolveResult":
        from routr_cli.solvers.base import SolveResult

        return SolveResult
    raise AttributeError(name)
