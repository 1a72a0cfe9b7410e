"""`routr rank`: read attempts, rank them (pure), render a table or JSON."""

from __future__ import annotations

import typer


def rank() -> None:
    """Rank models from recorded attempts."""
    raise typer.Exit(2)
