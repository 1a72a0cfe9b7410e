"""`routr sandbox`: commands parse, call the package, render; no logic lives here."""

from __future__ import annotations

import json

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("build")
def build(
    names: list[str] = typer.Argument(
        None, help="Images to build (folders of sandboxes/); all of them by default."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show docker build output."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
) -> None:
    """Build the sandbox images whose recipe changed; reuse the others."""
    from routr_cli.sandbox.images import build_images

    results = build_images(list(names) if names else None, verbose=verbose)
    if as_json:
        rows = [
            {"name": r.name, "tag": r.tag, "built": r.built, "seconds": round(r.seconds, 2)}
            for r in results
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in results:
        action = "built" if r.built else "up to date"
        typer.echo(f"{r.name:<12} {r.tag:<40} {action} ({r.seconds:.1f} s)")


@app.command("prune")
def prune(
    names: list[str] = typer.Argument(
        None, help="Only these images' containers and stale tags; everything by default."
    ),
) -> None:
    """Remove Routr's containers (running or not) and sandbox images that are not current."""
    from routr_cli.sandbox.images import prune as prune_all

    result = prune_all(list(names) if names else None, log=lambda _line: None)
    for name in result.containers:
        typer.echo(f"removed container {name}")
    for tag in result.images:
        typer.echo(f"removed image {tag}")
    typer.echo(f"pruned {len(result.containers)} containers and {len(result.images)} images")
