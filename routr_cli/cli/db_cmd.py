"""`routr db`: commands parse, call the package, render; no logic lives here."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)
