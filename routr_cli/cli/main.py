"""The ``routr`` entry point: registers the command groups and maps errors to one line.

Command modules import only typer at module level; pandas, duckdb, docker and jinja2
are imported inside the commands that use them, so ``routr --help`` stays fast.
"""

from __future__ import annotations

import os
import sys

import typer

from routr_cli import __version__
from routr_cli.cli import (
    attempts_cmd,
    bench_cmd,
    call_cmd,
    calls_cmd,
    compare_cmd,
    db_cmd,
    export_cmd,
    models_cmd,
    rank_cmd,
    recommend_cmd,
    route_cmd,
    runs_cmd,
    sandbox_cmd,
    serve_cmd,
    sim_cmd,
    site_cmd,
    tasks_cmd,
)

app = typer.Typer(
    name="routr",
    help="Grade coding models on real tasks in Docker sandboxes, rank them honestly, route by the results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, pwsh)
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every command
)
app.add_typer(tasks_cmd.app, name="tasks", help="List, show, validate, import and count tasks.")
app.add_typer(sandbox_cmd.app, name="sandbox", help="Build and prune the Docker sandbox images.")
app.add_typer(models_cmd.app, name="models", help="The model and pricing catalog.")
app.add_typer(sim_cmd.app, name="sim", help="Simulated models served over HTTP.")
app.add_typer(db_cmd.app, name="db", help="Maintain results databases (merge shards).")
app.add_typer(runs_cmd.app, name="runs", help="The bench runs recorded: list them, show one.")
app.add_typer(
    attempts_cmd.app,
    name="attempts",
    help="The attempts recorded: list them, open one, review flagged ones.",
)
app.add_typer(
    export_cmd.app, name="export", help="Write attempts or the leaderboard as CSV, Parquet, JSON."
)
app.command("bench", help="Run tasks against models and grade them in the sandbox.")(
    bench_cmd.bench
)
app.command("rank", help="Rank models from recorded attempts.")(rank_cmd.rank)
app.command("call", help="Route a request to the best model for it, by the standings.")(
    call_cmd.call
)
app.add_typer(calls_cmd.app, name="calls", help="The log of routed calls: list, show, stats.")
app.add_typer(site_cmd.app, name="site", help="Build and preview the static comparison site.")
app.command("feedback", help="Record whether a routed call's answer was right.")(calls_cmd.feedback)
app.add_typer(route_cmd.app, name="route", help="Is routing worth it? `routr route eval`.")
app.command("compare", help="Compare two models on their shared tasks (or every pair).")(
    compare_cmd.compare
)
app.command("recommend", help="Recommend models for a described task.")(recommend_cmd.recommend)
app.command("serve", help="An OpenAI-compatible gateway that routes by measured quality.")(
    serve_cmd.serve
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"routr {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Routr: honest, cost-aware rankings of coding models."""


def run() -> None:
    """Run the CLI; a ``RoutrError`` becomes one line on stderr and its exit code.

    The conventions of ``cli.conventions`` apply to every command: plain value names in
    help, and a closed stdout pipe that ends output quietly without stopping the work.
    """
    from routr_cli.cli.conventions import guard_stdout, plain_metavars
    from routr_cli.errors import RoutrError

    guard_stdout()
    command = typer.main.get_command(app)
    plain_metavars(command)
    try:
        command(prog_name="routr")
    except RoutrError as exc:
        if os.environ.get("ROUTR_DEBUG") == "1":
            raise
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
