"""`routr calls list/show/stats` and `routr feedback`: the call log; parse, read, render."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(no_args_is_help=True)
DB_HELP = "Call log database (default: reports/routr.duckdb or $ROUTR_DB)."


def _path(db: Path | None) -> Path:
    from routr_cli.paths import default_db

    return db if db is not None else default_db()


def _plain(value: Any) -> Any:
    return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) else value


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _model(name: str | None, simulated: bool | None = None) -> str:
    from routr_cli.providers.sim.catalog import display_name

    return "-" if name is None else display_name(name, bool(simulated))


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _table(
    title: str, columns: list[str], rows: list[list[str]], keys: tuple[str, ...] = ()
) -> None:
    """A table that fits the screen: ``keys`` (and the first column) are never dropped;
    the others go from the right when the width (COLUMNS) is short."""
    from routr_cli.cli.render import Col, data_console, print_table

    cols = [
        Col(name, 0 if i == 0 or name in keys else i, "left" if i < 2 else "right")
        for i, name in enumerate(columns)
    ]
    print_table(data_console(), cols, rows, title=title)


@app.command("list")
def list_calls(
    limit: int = typer.Option(20, "--limit", "-n", help="How many, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """The newest routed calls."""
    from routr_cli.router import call_log
    from routr_cli.store import Store

    with Store.open(_path(db), read_only=True) as store:
        rows = call_log.list_calls(store, limit)
    if as_json:
        typer.echo(json.dumps(_jsonable(rows), indent=2))
        return
    _table(
        "Routed calls (newest first)",
        [
            "id",
            "served by",
            "time",
            "objective",
            "category",
            "status",
            "tokens",
            "cost",
            "latency",
            "feedback",
        ],
        [
            [
                r["id"],
                _model(r["served_model"], r["simulated"]),
                str(_plain(r["created_at"])),
                r["objective"],
                r["category"],
                r["status"] if r["error_class"] is None else f"{r['status']} ({r['error_class']})",
                f"{r['input_tokens']}/{r['output_tokens']}",
                _num(r["cost_usd"], ".6f"),
                f"{r['latency_s']:.2f} s",
                r["feedback"] or "-",
            ]
            for r in rows
        ],
        keys=("served by", "status"),
    )


@app.command("show")
def show_call(
    call_id: str = typer.Argument(..., help="A call id from `routr calls list`."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """One call: the decision, every attempt, tokens, cost (and content if it was logged)."""
    from routr_cli.cli.render import safe_text
    from routr_cli.router import call_log
    from routr_cli.store import Store

    with Store.open(_path(db), read_only=True) as store:
        row = call_log.get_call(store, call_id)
    if as_json:
        typer.echo(json.dumps(_jsonable([row])[0], indent=2))
        return
    lines = [
        f"{row['id']}  {_plain(row['created_at'])}  status {row['status']}",
        f"objective {row['objective']}, category {row['category']}"
        + (f", language {row['language']}" if row["language"] else ""),
        f"served by {_model(row['served_model'], row['simulated'])}; "
        f"{row['input_tokens']} in / {row['output_tokens']} out tokens; "
        f"cost {_num(row['cost_usd'], '.6f')}; {row['latency_s']:.2f} s"
        + (f"; first token {row['ttft_s']:.2f} s" if row["ttft_s"] is not None else ""),
    ]
    if row["error_message"]:
        lines.append(f"error: {row['error_message']}")
    lines.append("candidates:")
    for c in row["candidates"]:
        lines.append(f"  {c['model']}: " + "; ".join(c["reasons"]))
    lines.append("attempts:")
    for a in row["attempts"]:
        what = a["status"] if not a["error_class"] else f"{a['status']} {a['error_class']}"
        lines.append(f"  {a['model']}: {what}, {a['latency_s']:.2f} s, {a['retries']} retries")
        if a["message"]:
            lines.append(f"      {a['message']}")
    lines.append(f"feedback: {row['feedback'] or 'none'}")
    if row["prompt"] is not None:
        lines.append("prompt:")
        lines.extend(f"  [{m['role']}] {safe_text(m['content'])}" for m in row["prompt"])
        lines.append(f"answer:\n  {safe_text(row['answer'] or '')}")
    else:
        lines.append("(content not logged: --log-content or ROUTR_LOG_CONTENT=1 keeps it)")
    typer.echo("\n".join(lines))


@app.command("stats")
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Per model: calls, error rate, p50/p99 latency, time to first token, spend."""
    from routr_cli.router import call_log
    from routr_cli.store import Store

    with Store.open(_path(db), read_only=True) as store:
        rows = call_log.call_stats(store)
    if as_json:
        typer.echo(json.dumps(_jsonable(rows), indent=2))
        return
    _table(
        "Calls per model (every attempt counts for its model)",
        [
            "model",
            "served",
            "calls",
            "errors",
            "error rate",
            "skipped",
            "p50",
            "p99",
            "ttft p50",
            "spend",
        ],
        [
            [
                _model(r["model"]),
                str(r["served"]),
                str(r["calls"]),
                str(r["errors"]),
                _num(r["errors"] / r["calls"] if r["calls"] else None, ".0%")
                + (f" (n={r['calls']})" if r["calls"] else ""),
                str(r["skipped"]),
                _num(r["p50_s"], ".2f"),
                _num(r["p99_s"], ".2f"),
                _num(r["ttft_p50_s"], ".2f"),
                "unknown" if r["unpriced"] else _num(r["spend_usd"], ".6f"),
            ]
            for r in rows
        ],
        keys=("calls", "error rate"),
    )


def feedback(
    call_id: str = typer.Argument(..., help="The call to grade (`routr calls list`)."),
    passed: bool = typer.Option(False, "--pass", help="The answer was right."),
    failed: bool = typer.Option(False, "--fail", help="The answer was wrong."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Record whether a routed call's answer was right: routing weighs it against the bench."""
    from routr_cli.errors import ConfigError
    from routr_cli.router import call_log
    from routr_cli.store import Store

    if passed == failed:
        raise ConfigError("say --pass or --fail (exactly one)")
    with Store.open(_path(db)) as store:
        row = call_log.set_feedback(store, call_id, "pass" if passed else "fail")
    typer.echo(
        f"{call_id}: {row['feedback']} recorded for {_model(row['served_model'], row['simulated'])} "
        f"in {row['category']}"
    )
