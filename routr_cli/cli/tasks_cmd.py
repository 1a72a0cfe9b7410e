"""`routr tasks`: commands parse, call the package, render; no logic lives here.

Data goes to stdout (a rich table, or JSON with ``--json``); progress and per-task
problems go to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from routr_cli.text import plural

if TYPE_CHECKING:
    from rich.console import Console

    from routr_cli.tasks.importers.common import ImportReport


app = typer.Typer(no_args_is_help=True)
import_app = typer.Typer(
    no_args_is_help=True,
    help="Convert other benchmark formats into format-v1 task folders.",
)
app.add_typer(import_app, name="import")

TASKS_HELP = "Folder of task folders (default: the bundled suite, or $ROUTR_TASKS)."
JSON_HELP = "Print JSON instead of a table."
DEFAULT_IMPORT_OUT = Path("tasks_imported")
OUT_HELP = "Where to write the task folders (default: ./tasks_imported)."
WRITE_RUNS = 3  # reference runs `validate --write` needs by default
ESTIMATE_NOTE = (
    "~N: a static estimate (the task's test lists are empty); "
    "`routr tasks validate --write` fills them"
)


def _tasks_dir(tasks: Path | None) -> Path:
    from routr_cli.paths import default_tasks_dir

    return tasks if tasks is not None else default_tasks_dir()


def _stdout() -> Console:
    """Rich console for data (width rule: ``routr_cli.cli.render``)."""
    from routr_cli.cli.render import data_console

    return data_console()


def _stderr() -> Console:
    from routr_cli.cli.render import err_console

    return err_console()


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False))


def _exit_if_malformed(errors: Sequence[Exception]) -> None:
    """After the data: one stderr line per malformed task folder, then exit 1 if any."""
    err = _stderr()
    for error in errors:
        err.print(f"malformed: {error}", markup=False)
    if errors:
        raise typer.Exit(1)


@app.command("list")
def list_tasks(
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List the tasks with their size and test count; malformed ones go to stderr (exit 1).

    On a narrow screen (COLUMNS) the least useful columns are dropped, never the id.
    """
    from routr_cli.cli.render import Col, print_table
    from routr_cli.tasks.load import load_tasks_lenient
    from routr_cli.tasks.stats import task_facts

    loaded, errors = load_tasks_lenient(_tasks_dir(tasks))
    facts = [task_facts(task) for task in loaded]
    if as_json:
        _print_json([f.as_json() for f in facts])
    else:
        columns = [
            Col("id", priority=0),
            Col("title", priority=5, fold=True),
            Col("category", priority=3),
            Col("language", priority=2),
            Col("difficulty", priority=6),
            Col("files", priority=7, justify="right"),
            Col("lines", priority=4, justify="right"),
            Col("tests", priority=1, justify="right"),
        ]
        rows = [
            (f.id, f.title, f.category, f.language, f.difficulty, *f.size_labels) for f in facts
        ]
        print_table(_stdout(), columns, rows, title=plural(len(facts), "task"))
        if any(f.tests_estimated for f in facts):
            _stderr().print(ESTIMATE_NOTE, markup=False)
    _exit_if_malformed(errors)


@app.command("show")
def show_task(
    task_id: str = typer.Argument(..., metavar="ID", help="Task id (its folder name)."),
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show one task: metadata, limits, grading, prompt and repo files (never the hidden ones)."""
    from routr_cli.tasks.load import load_tasks
    from routr_cli.tasks.stats import count_lines, task_test_count

    (task,) = load_tasks(_tasks_dir(tasks), [task_id])
    repo = task.repo_files()
    tests = task.test_files()
    solution = task.solution_change()
    test_count, estimated = task_test_count(task)
    data: dict[str, Any] = {
        "id": task.id,
        "title": task.title,
        "category": task.category,
        "language": task.language,
        "difficulty": task.difficulty,
        "tags": list(task.tags),
        "image": task.image,
        "hash": task.content_hash,
        "path": str(task.path),
        "limits": {
            "cpus": task.limits.cpus,
            "memory_mb": task.limits.memory_mb,
            "pids": task.limits.pids,
        },
        "grade": {
            "command": task.grade.command,
            "timeout_s": task.grade.timeout_s,
            "fail_to_pass": list(task.grade.fail_to_pass),
            "pass_to_pass": list(task.grade.pass_to_pass),
        },
        "prompt": task.prompt,
        "repo_files": [{"path": rel, "lines": count_lines(text)} for rel, text in repo.items()],
        "hidden_test_files": sorted(tests),
        "hidden_tests": test_count,
        "hidden_tests_estimated": estimated,
        "solution_files": sorted(rel for rel, text in solution.items() if text is not None),
        "solution_deletes": sorted(rel for rel, text in solution.items() if text is None),
    }
    if as_json:
        _print_json(data)
        return
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.table import Table

    out = _stdout()
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column(overflow="fold")
    limits = task.limits
    rows = [
        ("id", task.id),
        ("title", task.title),
        ("category", task.category),
        ("language", task.language),
        ("difficulty", task.difficulty),
        ("tags", ", ".join(task.tags) or "-"),
        ("image", task.image),
        ("hash", task.content_hash),
        ("limits", f"{limits.cpus:g} CPU, {limits.memory_mb} MB memory, {limits.pids} pids"),
        ("grade", task.grade.command),
        ("timeout", f"{task.grade.timeout_s} s"),
        (
            "graded tests",
            f"{len(task.grade.fail_to_pass)} fail_to_pass, "
            f"{len(task.grade.pass_to_pass)} pass_to_pass",
        ),
        (
            "hidden",
            f"{plural(len(tests), 'test file')} "
            f"({'~' if estimated else ''}{plural(test_count, 'test')}), "
            f"reference changes {plural(len(data['solution_files']), 'file')}, "
            f"deletes {len(data['solution_deletes'])}",
        ),
    ]
    for key, value in rows:
        meta.add_row(key, value)
    out.print(meta)
    out.print(Panel(Markdown(task.prompt), title="prompt.md", title_align="left"))
    files = Table(title=f"repo/ ({plural(len(repo), 'file')})", title_justify="left")
    files.add_column("path")
    files.add_column("lines", justify="right")
    for entry in data["repo_files"]:
        files.add_row(entry["path"], str(entry["lines"]))
    out.print(files)


@app.command("stats")
def stats(
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Counts by category, language and difficulty; size and hidden tests per task.

    Tests are the validated lists (fail_to_pass + pass_to_pass); a task whose lists
    are still empty gets a static estimate (`def test_`, `test(`/`xtest(`/`it(`,
    `func Test`), and the output says how many are estimates.
    """
    from rich.table import Table

    from routr_cli.tasks.load import load_tasks_lenient
    from routr_cli.tasks.stats import suite_stats, task_facts

    loaded, errors = load_tasks_lenient(_tasks_dir(tasks))
    summary = suite_stats([task_facts(task) for task in loaded])
    if as_json:
        _print_json(summary)
    else:
        out = _stdout()
        out.print(plural(summary["tasks"], "task"))
        for key in ("by_category", "by_language", "by_difficulty"):
            table = Table(title=key.replace("_", " "), title_justify="left")
            table.add_column(key.removeprefix("by_"))
            table.add_column("tasks", justify="right")
            for name, count in summary[key].items():
                table.add_row(name, str(count))
            out.print(table)
        spread = Table(title="per task", title_justify="left")
        for column in ("", "min", "median", "max"):
            spread.add_column(column, justify="right")
        for key in ("files", "lines", "tests"):
            s = summary[key]
            spread.add_row(key, f"{s['min']:g}", f"{s['median']:g}", f"{s['max']:g}")
        out.print(spread)
        if summary["tests_estimated"]:
            out.print(
                f"tests: {summary['tests_estimated']} of {summary['tasks']} counts are static "
                "estimates (empty test lists; `routr tasks validate --write` fills them)"
            )
    _exit_if_malformed(errors)


@app.command("validate")
def validate(
    ids: list[str] | None = typer.Argument(None, metavar="IDS", help="Task ids (default: all)."),
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    runs: int | None = typer.Option(
        None,
        "--runs",
        min=1,
        help=f"Reference runs in a row that must all pass (default: {WRITE_RUNS} with --write, "
        "else 1).",
    ),
    write: bool = typer.Option(
        False,
        "--write",
        help="Write fail_to_pass/pass_to_pass and, for a valid task, the validation record "
        "`routr bench` requires into task.toml.",
    ),
    jobs: int = typer.Option(1, "--jobs", min=1, help="Tasks validated in parallel (max: CPUs)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array instead of lines."),
) -> None:
    """Prove each task valid in the real sandbox: reference passes, repo/ fails, no leaks.

    Prints `ok <id> (...)` or `INVALID <id>: <rule>` per task and a summary; exits 0
    only when every task is valid. Malformed task folders count as invalid.
    """
    from routr_cli.sandbox import DockerBackend
    from routr_cli.tasks.validate import collect_candidates, validate_candidates, worker_count

    # Lists written from one lucky run would enshrine a flaky test; checking is cheaper.
    runs = runs if runs is not None else (WRITE_RUNS if write else 1)
    candidates = collect_candidates(_tasks_dir(tasks), ids or None)
    err = _stderr()
    err.print(
        f"validating {plural(len(candidates), 'task')}: {plural(runs, 'reference run')} each, "
        f"{worker_count(jobs)} at a time{', writing test lists and records' if write else ''}",
        markup=False,
    )
    backend = DockerBackend()
    results = []
    for result in validate_candidates(candidates, backend, runs=runs, write=write, jobs=jobs):
        results.append(result)
        if not as_json:
            typer.echo(result.line())
    invalid = [r for r in results if not r.valid]
    if as_json:
        _print_json([r.as_json() for r in results])
    else:
        total_s = sum(r.duration_s for r in results)
        typer.echo(
            f"{len(results) - len(invalid)} valid, {len(invalid)} invalid "
            f"of {plural(len(results), 'task')} ({total_s:.1f} s of grading)"
        )
    if invalid:
        raise typer.Exit(1)


def _report_import(report: ImportReport, out: Path) -> None:
    """Lines per task and per skipped input, then a summary; exit 1 only if nothing was written."""
    for task in report.written:
        typer.echo(f"imported {task.id} -> {out / task.id}")
    err = _stderr()
    for problem in report.problems:
        err.print(f"skipped {problem}", markup=False)
    unsupported = report.unsupported_line()
    if unsupported:
        err.print(unsupported, markup=False)
    for note in report.flagged:
        err.print(f"check {note}", markup=False)
    written = len(report.written)
    skipped = len(report.problems) + sum(report.unsupported.values())
    to_confirm = f" ({len(report.flagged)} still to confirm)" if report.flagged else ""
    typer.echo(
        f"{plural(written, 'task')} written to {out}{to_confirm}, "
        f"{skipped} skipped; next: `routr tasks validate --write --tasks {out}` "
        "fills fail_to_pass/pass_to_pass and refuses what cannot be graded"
    )
    if not report.written:
        raise typer.Exit(1)


@import_app.command("exercism")
def import_exercism_cmd(
    source: Path = typer.Argument(
        ..., metavar="DIR", help="An exercise, a folder of exercises, or a polyglot tree."
    ),
    out: Path = typer.Option(DEFAULT_IMPORT_OUT, "--out", help=OUT_HELP),
    category: str = typer.Option("feature", "--category", help="Category label for every task."),
    language: list[str] | None = typer.Option(
        None, "--language", help="Only this language (python, javascript, go); repeatable."
    ),
) -> None:
    """Convert Exercism exercises (Python, JavaScript, Go) into task folders.

    Task ids are exercism-<language>-<slug>. Existing task folders of the same id
    are replaced. An exercise that cannot be converted is one stderr line with the
    reason (test-writing exercises are refused); exercises in other languages are one
    summary line. Exits 0 when any task was written, 1 when none was.
    """
    from routr_cli.tasks.importers.exercism import import_exercism

    _report_import(import_exercism(source, out, category, language or None), out)


@import_app.command("jsonl")
def import_jsonl_cmd(
    source: Path = typer.Argument(
        ..., metavar="FILE", help="HumanEval-style JSONL (task_id, prompt, ...)."
    ),
    out: Path = typer.Option(DEFAULT_IMPORT_OUT, "--out", help=OUT_HELP),
    category: str = typer.Option("feature", "--category", help="Category label for every task."),
) -> None:
    """Convert HumanEval-style JSONL records into Python task folders.

    Each record needs task_id, prompt, canonical_solution, test and entry_point; the
    task id is task_id slugified (HumanEval/0 -> humaneval-0). A record that cannot
    be converted is one stderr line naming the line and field. Exits 0 when any task
    was written, 1 when none was.
    """
    from routr_cli.tasks.importers.jsonl import import_jsonl

    _report_import(import_jsonl(source, out, category), out)
