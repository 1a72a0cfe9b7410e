"""`routr tasks`: commands parse, call the package, render; no logic lives here.

Data goes to stdout (a rich table, or JSON with ``--json``); progress and per-task
problems go to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console


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


def _tasks_dir(tasks: Path | None) -> Path:
    from routr_cli.paths import default_tasks_dir

    return tasks if tasks is not None else default_tasks_dir()


def _stdout() -> Console:
    """Rich console for data; when piped, wide enough that tables stay one row per task."""
    import sys

    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=False))


@app.command("list")
def list_tasks(
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """List the tasks with their size; malformed ones go to stderr (exit 1)."""
    from rich.table import Table

    from routr_cli.tasks.load import load_tasks_lenient
    from routr_cli.tasks.stats import task_facts

    loaded, errors = load_tasks_lenient(_tasks_dir(tasks))
    facts = [task_facts(task) for task in loaded]
    if as_json:
        _print_json([f.as_json() for f in facts])
    else:
        table = Table(title=f"{len(facts)} tasks")
        table.add_column("id", no_wrap=True)
        table.add_column("title", overflow="fold", ratio=1)
        for column in ("category", "language", "difficulty"):
            table.add_column(column, no_wrap=True)
        table.add_column("files", justify="right")
        table.add_column("lines", justify="right")
        for f in facts:
            table.add_row(
                f.id, f.title, f.category, f.language, f.difficulty, str(f.files), str(f.lines)
            )
        _stdout().print(table)
    err = _stderr()
    for error in errors:
        err.print(f"malformed: {error}", markup=False)
    if errors:
        raise typer.Exit(1)


@app.command("show")
def show_task(
    task_id: str = typer.Argument(..., metavar="ID", help="Task id (its folder name)."),
    tasks: Path | None = typer.Option(None, "--tasks", help=TASKS_HELP),
    as_json: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    """Show one task: metadata, limits, grading, prompt and repo files (never the hidden ones)."""
    from routr_cli.tasks.load import load_tasks
    from routr_cli.tasks.model import read_tree
    from routr_cli.tasks.stats import count_lines, count_tests

    (task,) = load_tasks(_tasks_dir(tasks), [task_id])
    repo = task.repo_files()
    tests = read_tree(task.path / "tests")
    solution = task.solution_change()
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
        "hidden_tests": count_tests(tests),
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
        ("limits", f"{limits.cpus:g} cpus, {limits.memory_mb} MB, {limits.pids} pids"),
        ("grade", task.grade.command),
        ("timeout", f"{task.grade.timeout_s} s"),
        (
            "graded tests",
            f"{len(task.grade.fail_to_pass)} fail_to_pass, "
            f"{len(task.grade.pass_to_pass)} pass_to_pass",
        ),
        (
            "hidden",
            f"{len(tests)} test files ({data['hidden_tests']} tests), "
            f"reference changes {len(data['solution_files'])} files, "
            f"deletes {len(data['solution_deletes'])}",
        ),
    ]
    for key, value in rows:
        meta.add_row(key, value)
    out.print(meta)
    out.print(Panel(Markdown(task.prompt), title="prompt.md", title_align="left"))
    files = Table(title=f"repo/ ({len(repo)} files)", title_justify="left")
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

    Tests are counted statically: `def test_` in Python, `test(`/`it(` calls in
    JavaScript, `func Test` in Go.
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
        out.print(f"{summary['tasks']} tasks")
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
    err = _stderr()
    for error in errors:
        err.print(f"malformed: {error}", markup=False)
    if errors:
        raise typer.Exit(1)
