"""`routr db`: commands parse, call the package, render; no logic lives here."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from routr_cli.text import plural

app = typer.Typer(no_args_is_help=True)


@app.command("merge")
def merge(
    sources: list[Path] = typer.Argument(..., metavar="DB...", help="Shard databases to merge."),
    out: Path | None = typer.Option(
        None, "-o", "--out", help="The merged database (created, or appended to)."
    ),
) -> None:
    """Combine shard databases (from `routr bench --shard i/n`) without duplicates."""
    from routr_cli.store import Store
    from routr_cli.store.merge import merge_databases
    from routr_cli.store.read import table_counts

    if out is None:
        from routr_cli.errors import ConfigError

        raise ConfigError(
            "name the merged database with -o, e.g. routr db merge shard-*.duckdb -o all.duckdb"
        )
    results = merge_databases(sources, out)
    for result in results:
        typer.echo(
            f"{result.source}: {plural(result.attempts_added, 'attempt')} added, "
            f"{result.attempts_skipped} already present",
            err=True,
        )
    with Store.open(out, read_only=True) as store:
        counts = table_counts(store)
    typer.echo(f"{out}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@app.command("migrate")
def migrate(
    db: Path | None = typer.Option(
        None, "--db", help="Database to migrate (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
) -> None:
    """Apply pending schema migrations (every writing command does this on its own)."""
    from routr_cli.paths import default_db
    from routr_cli.store import Store

    path = db if db is not None else default_db()
    with Store.open(path) as store:
        version = store.schema_version()
    typer.echo(f"{path}: schema version {version}")


@app.command("info")
def info(
    db: Path | None = typer.Option(
        None, "--db", help="Database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Row counts and schema version of a results database."""
    from routr_cli.paths import default_db
    from routr_cli.store import Store
    from routr_cli.store.read import table_counts

    path = db if db is not None else default_db()
    with Store.open(path, read_only=True) as store:
        data = {"path": str(path), "schema_version": store.schema_version(), **table_counts(store)}
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        for key, value in data.items():
            typer.echo(f"{key}: {value}")
