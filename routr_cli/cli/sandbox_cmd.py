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
    force: bool = typer.Option(
        False,
        "--force",
        help="Also remove containers whose routr process is alive or cannot be checked.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List what would be removed; remove nothing."
    ),
) -> None:
    """Remove orphaned Routr containers (their routr process is gone) and stale images."""
    from routr_cli.sandbox.images import prune as prune_all
    from routr_cli.text import plural

    result = prune_all(
        list(names) if names else None, force=force, dry_run=dry_run, log=lambda _line: None
    )
    verb = "would remove" if dry_run else "removed"
    for name in result.containers:
        typer.echo(f"{verb} container {name}")
    for tag in result.images:
        typer.echo(f"{verb} image {tag}")
    for entry in result.skipped:
        typer.echo(f"kept container {entry}: --force removes it")
    for tag in result.images_in_use:
        typer.echo(f"kept image {tag}: a container still uses it")
    prefix = "would prune" if dry_run else "pruned"
    typer.echo(
        f"{prefix} {plural(len(result.containers), 'container')} and "
        f"{plural(len(result.images), 'image')}"
        + (
            f"; kept {plural(len(result.skipped), 'container')} whose routr is alive or unknown"
            if result.skipped
            else ""
        )
    )
