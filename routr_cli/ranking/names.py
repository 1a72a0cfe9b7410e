"""Resolving what a user typed (a category, a solver, a model) against what was recorded.

One place for the rules issue 8 asked for: categories match case-insensitively, a solver
is accepted by its shown name (``repair@2``) or stored name (``repair``), and an unknown
name is a one-line ``ConfigError`` that lists the known ones and suggests the closest.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from routr_cli.errors import ConfigError
from routr_cli.ranking.frame import solver_display
from routr_cli.ranking.matrix import ALL


def _hint(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def resolve_category(category: str | None, known: Sequence[str]) -> str:
    """``category`` as recorded (any case); ``None`` or "all" is the overall slice."""
    if category is None or category.lower() == ALL:
        return ALL
    for name in known:
        if name.lower() == category.lower():
            return name
    listed = ", ".join(known) or "none recorded"
    hint = _hint(category.lower(), known)
    raise ConfigError(f"unknown category {category!r}{hint}; known: {listed}")


def resolve_solver(solver: str | None, known: Sequence[str]) -> str:
    """A recorded solver; ``None`` picks ``edit`` (the standard protocol) when present."""
    if solver is None:
        return "edit" if "edit" in known or not known else sorted(known)[0]
    wanted = solver_display(solver.lower())
    if wanted in known:
        return wanted
    listed = ", ".join(sorted(known)) or "none"
    raise ConfigError(f"no attempts with solver {solver!r}; recorded: {listed}")


def resolve_model(model: str, known: Sequence[str], solver: str) -> str:
    if model in known:
        return model
    hint = _hint(model, known)
    raise ConfigError(
        f"no {solver} attempts for model {model!r}{hint}; recorded: {', '.join(known)}"
    )
