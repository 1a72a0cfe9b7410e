"""`routr bench`: parse flags, call routr_cli.bench, render progress and results."""

from __future__ import annotations

import typer


def bench() -> None:
    """Run tasks against models and grade them in the sandbox."""
    raise typer.Exit(2)
