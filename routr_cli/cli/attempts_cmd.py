"""`routr attempts`: list the recorded attempts, open one, review the flagged ones.

``show`` prints what the attempt was asked, what the model answered, the change it made
as a unified diff, how each hidden test went and the grading output. Model answers and
test output are hostile text: printed with terminal controls made visible
(``render.safe_text``), never obeyed.

``review`` is the human step of grading integrity (docs/static-scan.md): an attempt whose
change hit a static scan rule is ``suspect`` and counts as not solved until a person
accepts it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from routr_cli.text import plural

app = typer.Typer(no_args_is_help=True)

DB_HELP = "Results database (default: reports/routr.duckdb or $ROUTR_DB)."
SHOWN_CHARS = 4000  # per message in `attempts show` unless --full; prompts carry whole repos
NOT_RECORDED = "(not recorded: this attempt predates Routr storing it)"
TABLE_LIMIT = 50  # a table of thousands of rows helps nobody; --json gives them all


def _db(db: Path | None) -> Path:
    from routr_cli.paths import default_db

    return db if db is not None else default_db()


@app.command("list")
def list_attempts(
    model: list[str] = typer.Option([], "--model", "-m", help="Only this model (repeatable)."),
    task: list[str] = typer.Option([], "--task", help="Only this task id (repeatable)."),
    status: list[str] = typer.Option(
        [], "--status", help="Only this status: solved, failed, provider_error, ... (repeatable)."
    ),
    run: list[str] = typer.Option([], "--run", help="Only this run id or prefix (repeatable)."),
    limit: int | None = typer.Option(
        None,
        "--limit",
        min=1,
        help=f"Show the newest N attempts (default: {TABLE_LIMIT} in a table, all with --json).",
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Recorded attempts, newest first; open one with `routr attempts show KEY`."""
    from routr_cli.cli.render import Col, data_console, money, plural, print_table, seconds
    from routr_cli.providers.sim.catalog import display_name
    from routr_cli.ranking.frame import solver_display
    from routr_cli.store import Store
    from routr_cli.store.inspect import AttemptFilter, count_attempts
    from routr_cli.store.inspect import list_attempts as read_attempts

    shown = limit if limit is not None or as_json else TABLE_LIMIT
    filters = AttemptFilter(tuple(model), tuple(task), tuple(status), tuple(run), shown)
    with Store.open(_db(db), read_only=True) as store:
        rows = read_attempts(store, filters)
        total = count_attempts(store, filters) if len(rows) == shown else len(rows)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("no attempts match: see `routr attempts list` without filters", err=True)
        return
    columns = [
        Col("key", 0),
        Col("task", 1),
        Col("model", 0),
        Col("status", 0),
        Col("score", 4, "right"),
        Col("epoch", 6, "right"),
        Col("solver", 5),
        Col("tokens", 7, "right"),
        Col("cost", 3, "right"),
        Col("latency", 8, "right"),
        Col("run", 9),
    ]
    table = [
        [
            r["attempt_key"][:12],
            r["task_id"],
            display_name(r["model"], r["simulated"]),
            r["status"],
            f"{r['score']:.2f}",
            str(r["epoch"]),
            solver_display(r["solver"]),
            f"{r['input_tokens'] + r['output_tokens']:,}",
            money(r["cost_usd"]),
            seconds(r["latency_s"]),
            r["run_id"],
        ]
        for r in rows
    ]
    title = plural(len(rows), "attempt")
    if total > len(rows):
        title = f"newest {len(rows)} of {plural(total, 'attempt')} (--limit N for more)"
    print_table(data_console(), columns, table, title=title)


def _clip(text: str, full: bool) -> str:
    if full or len(text) <= SHOWN_CHARS:
        return text
    more = len(text) - SHOWN_CHARS
    return f"{text[:SHOWN_CHARS]}\n... ({more:,} more characters: --full shows everything)"


def _section(title: str, body: str) -> None:
    from routr_cli.cli.render import safe_text

    typer.echo(f"\n== {title} ==")
    typer.echo(safe_text(body.rstrip("\n")) if body.strip() else "(empty)")


def _summary(a: dict[str, Any]) -> list[tuple[str, str]]:
    from routr_cli.cli.render import money, plural, seconds
    from routr_cli.providers.sim.catalog import display_name
    from routr_cli.ranking.frame import solver_display

    verdict = a["status"] + (f" ({a['reason']})" if a["reason"] else "")
    vendor = money(a["provider_cost_usd"]) if a["provider_cost_usd"] is not None else "-"
    lines = [
        ("attempt", a["attempt_key"]),
        ("run", a["run_id"]),
        ("task", f"{a['task_id']} ({a['category']}), version {a['task_hash'][:12]}"),
        ("model", display_name(a["model"], a["simulated"])),
        (
            "solver",
            f"{solver_display(a['solver'])} {json.dumps(a['solver_params'], sort_keys=True)}",
        ),
        ("epoch", str(a["epoch"])),
        ("status", f"{verdict}, score {a['score']:.2f}, {plural(a['turns'], 'turn')}"),
        (
            "tokens",
            f"{a['input_tokens']:,} in, {a['output_tokens']:,} out "
            f"(cached input {a['cached_input_tokens']:,}, "
            f"reasoning {a['reasoning_tokens']:,})",
        ),
        ("cost", f"{money(a['cost_usd'])} (price catalog), vendor-reported {vendor}"),
        ("latency", f"model {seconds(a['latency_s'])}, grading {seconds(a['grade_duration_s'])}"),
        ("recorded", a["created_at"]),
    ]
    if a["error_message"]:
        lines.append(("error", a["error_message"]))
    if a["cached_responses"]:
        lines.append(
            ("replayed", plural(a["cached_responses"], "response") + " replayed from the cache")
        )
    if a.get("suspect"):
        hits = a.get("suspect_hits") or []
        rules = ", ".join(sorted({str(h.get("rule")) for h in hits}))
        verdict = a.get("review") or "not reviewed"
        lines.append(
            (
                "suspect",
                f"{plural(len(hits), 'static scan hit')} ({rules}), {verdict}: "
                f"`routr attempts review {a['attempt_key'][:12]}` lists them",
            )
        )
    if a.get("unvalidated"):
        lines.append(("task", "not proven valid when benched (--allow-unvalidated)"))
    if a["restored_harness"]:
        lines.append(("restored", ", ".join(a["restored_harness"]) + " (put back before grading)"))
    return lines


def _transcript(a: dict[str, Any], full: bool) -> None:
    turn = 0
    for message in a["transcript"]:
        role = message.get("role", "?")
        content = str(message.get("content", ""))
        if role == "assistant":
            turn += 1
            _section(f"answer, turn {turn}", _clip(content, full))
        elif role == "system":
            _section("prompt: system", _clip(content, full))
        else:
            label = "prompt" if turn == 0 else f"feedback before turn {turn + 1}"
            _section(label, _clip(content, full))


def _tests(a: dict[str, Any]) -> None:
    from collections import Counter

    from routr_cli.cli.render import plural, safe_text

    tests = a["tests"]
    counts = Counter(t["outcome"] for t in tests)
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    typer.echo(f"\n== {plural(len(tests), 'test')}{': ' + summary if tests else ''} ==")
    if not tests:
        typer.echo("(none: the change was not graded)")
    for t in tests:
        typer.echo(f"{t['outcome']:<8} {safe_text(t['test_id'])}  {t['duration_s']:.2f} s")
        if t["message"]:
            for line in t["message"].splitlines()[:20]:
                typer.echo(f"         {safe_text(line)}")


@app.command("show")
def show_attempt(
    key: str = typer.Argument(..., metavar="KEY", help="Attempt key, or a unique prefix of one."),
    full: bool = typer.Option(False, "--full", help="Print long prompts and answers whole."),
    diff_only: bool = typer.Option(
        False, "--diff", help="Print only the applied change, as a patch (`git apply` takes it)."
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One attempt: prompt, answer, applied diff, per-test outcomes, grading output, costs."""
    import sys

    from routr_cli.cli.render import safe_text
    from routr_cli.errors import ConfigError
    from routr_cli.store import Store
    from routr_cli.store.inspect import show_attempt as read_attempt

    with Store.open(_db(db), read_only=True) as store:
        attempt = read_attempt(store, key)
    if diff_only:
        if attempt["diff"] is None:
            raise ConfigError(f"attempt {key} predates Routr storing diffs: no patch to print")
        # To a file or a pipe the patch goes byte for byte (so it applies); to a terminal
        # its control characters are shown, not obeyed.
        patch = attempt["diff"] if not sys.stdout.isatty() else safe_text(attempt["diff"])
        sys.stdout.write(patch)
        return
    if as_json:
        typer.echo(json.dumps(attempt, indent=2))
        return
    for label, value in _summary(attempt):
        typer.echo(f"{label:<9} {safe_text(value)}")
    _transcript(attempt, full)
    diff = attempt["diff"]
    _section("applied change (unified diff)", NOT_RECORDED if diff is None else diff)
    _tests(attempt)
    output = attempt["grade_output"]
    _section("grading output", NOT_RECORDED if output is None else output)


@app.command("review")
def review(
    key: str = typer.Argument(..., metavar="KEY", help="Attempt key (a unique prefix is enough)."),
    accept: bool = typer.Option(
        False, "--accept", help="The change is honest: count it as solved if its tests passed."
    ),
    reject: bool = typer.Option(
        False, "--reject", help="The change games the grading: count it as not solved."
    ),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Show what the static scan found in an attempt; record a verdict with --accept/--reject.

    Without a verdict, prints the rules hit (file, line, matched text) and changes nothing.
    Read the change itself before deciding: `routr attempts show KEY` prints it as a diff.
    """
    from routr_cli.cli.render import safe_text
    from routr_cli.errors import ConfigError
    from routr_cli.store import Store
    from routr_cli.store.inspect import resolve_attempt_key
    from routr_cli.store.read import attempt_integrity
    from routr_cli.store.write import review_attempt

    if accept and reject:
        raise ConfigError("give one verdict: --accept or --reject, not both")
    path = _db(db)
    if not path.exists():
        raise ConfigError(f"no results database at {path}: pass --db or run `routr bench` first")
    verdict = "accepted" if accept else "rejected" if reject else None
    with Store.open(path, read_only=verdict is None) as store:
        full = resolve_attempt_key(store, key)
        if verdict is not None:
            review_attempt(store, full, verdict)
        row = attempt_integrity(store, full)
    who = f"{row['task_id']}/{row['epoch']} by {row['model']}"
    for hit in row["suspect_hits"]:
        where = f"{hit['path']}:{hit['line']}" if hit["line"] else hit["path"]
        typer.echo(f"  {hit['rule']:<22} {safe_text(where)}  {safe_text(hit['text'])}")
    if verdict is None:
        state = row["review"] or "not reviewed"
        typer.echo(
            f"attempt {full[:12]} ({who}): status {row['status']}, "
            f"{plural(len(row['suspect_hits']), 'scan hit')}, {state}; "
            "decide with --accept or --reject"
        )
        return
    counts = "solved" if row["solved"] else "not solved"
    typer.echo(f"attempt {full[:12]} ({who}): {verdict}, now counts as {counts}")
