"""`routr sim`: commands parse, call the package, render; no logic lives here."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (keep it loopback)."),
    port: int = typer.Option(8765, "--port", help="Port to listen on (0 picks a free one)."),
    tasks: Path | None = typer.Option(
        None, "--tasks", help="Task folders the models answer (default: the bundled suite)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for every draw (answers, errors)."),
    no_latency: bool = typer.Option(
        False, "--no-latency", help="Answer at once instead of playing out the latencies."
    ),
) -> None:
    """Serve the simulated models in the OpenAI wire format until interrupted."""
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_tasks_dir
    from routr_cli.providers.sim.server import make_server

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: pick a port from 0 to 65535 (0 picks a free one)")
    tasks_dir = tasks if tasks is not None else default_tasks_dir()
    if not tasks_dir.is_dir():
        raise ConfigError(f"{tasks_dir}: no such tasks folder (pass --tasks DIR)")
    try:
        server = make_server(tasks_dir, seed, 0.0 if no_latency else 1.0, host, port)
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(f"cannot listen on {host}:{port} ({reason}); pick --port") from exc
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    typer.echo(
        f"simulated models (sim/...) at http://{bound_host}:{bound_port}/v1 "
        f"(tasks {tasks_dir}, seed {seed}); Ctrl-C stops",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command("models")
def models(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the simulated models: skill, prices, latency and error rates (all invented)."""
    import json

    from routr_cli.providers.sim.catalog import display_name, load_sim_models

    rows = [
        {
            "name": m.name,
            "label": display_name(m.name),
            "description": m.description,
            "skill_default": m.skill["default"],
            "input_usd_per_mtok": m.input_usd_per_mtok,
            "output_usd_per_mtok": m.output_usd_per_mtok,
            "context_window": m.context_window,
            "ttft_s": m.ttft_s,
            "tokens_per_second": m.tokens_per_second,
            "rate_limited": m.rate_limited_rate,
            "server_error": m.server_error_rate,
            "simulated": True,
        }
        for m in load_sim_models().values()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from routr_cli.cli.render import Col, data_console, print_table

    columns = [
        Col("model", 0),
        Col("skill", 0, "right"),
        Col("$/M in/out", 1, "right"),
        Col("ctx", 3, "right"),
        Col("ttft, tok/s", 2, "right"),
        Col("err %", 4, "right"),
    ]
    table = [
        [
            display_name(m.name),
            f"{m.skill['default']:.2f}",
            f"{m.input_usd_per_mtok:.2f}/{m.output_usd_per_mtok:.2f}",
            f"{m.context_window // 1000}k",
            f"{m.ttft_s:.2f}, {m.tokens_per_second:.0f}",
            f"{m.rate_limited_rate * 100:.0f}/{m.server_error_rate * 100:.0f}",
        ]
        for m in load_sim_models().values()
    ]
    print_table(data_console(), columns, table, title="Simulated models (invented figures)")
