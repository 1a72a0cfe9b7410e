"""`routr serve`: parse, call ``serve.runner``; no logic lives here."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", help="Worker processes (each logs to its own file)."
    ),
    db: str = typer.Option(
        None, "--db", envvar="ROUTR_DB", help="Results database with the standings to route by."
    ),
    log_dir: str = typer.Option("reports/serve", "--log-dir", help="Folder for the call logs."),
    keys_file: str = typer.Option(
        None, "--keys-file", help="Lines NAME:SHA256[:RPM[:USD_PER_DAY]] (see --hash-key)."
    ),
    no_auth: bool = typer.Option(False, "--no-auth", help="No keys required (loopback only)."),
    rpm: float = typer.Option(None, "--rpm", help="Default requests per minute per key."),
    usd_per_day: float = typer.Option(None, "--budget", help="Default USD per day per key."),
    max_body_bytes: int = typer.Option(1_000_000, "--max-body-bytes", help="Largest request body."),
    deadline: float = typer.Option(120.0, "--timeout", help="Seconds for one whole call."),
    log_content: bool = typer.Option(
        False, "--log-content", envvar="ROUTR_LOG_CONTENT", help="Store prompts and answers."
    ),
    sim_latency: float = typer.Option(1.0, "--sim-latency", help="Scale simulated latencies."),
    hash_key: str = typer.Option(
        None, "--hash-key", metavar="NAME", help="Make a new key: print it and its keys-file line."
    ),
) -> None:
    """An OpenAI-compatible gateway that routes each request by measured quality."""
    if hash_key:
        import secrets

        from routr_cli.serve.guard import hash_key as digest

        key = "rk-" + secrets.token_urlsafe(32)
        typer.echo(f"key (give it to the caller; it is not stored): {key}")
        typer.echo(f"keys-file line: {hash_key}:{digest(key)}")
        return
    from routr_cli.paths import default_db
    from routr_cli.serve.runner import ServeOptions, run

    options = ServeOptions(
        host=host, port=port, workers=workers, db=db or str(default_db()), log_dir=log_dir,
        keys_file=keys_file, no_auth=no_auth, rpm=rpm, usd_per_day=usd_per_day,
        max_body_bytes=max_body_bytes, deadline_s=deadline, read_timeout_s=15.0,
        log_content=log_content, sim_latency=sim_latency,
    )  # fmt: skip
    run(options, announce=lambda line: typer.echo(line, err=True))
