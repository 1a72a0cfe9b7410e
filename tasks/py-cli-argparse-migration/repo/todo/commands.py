"""Command handlers: ``(global options, command options, positional args) -> exit code``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from todo.store import PRIORITIES, Todo, TodoStore

SORT_KEYS = {
    "id": lambda t: t.id,
    "due": lambda t: (t.due is None, t.due or "", t.id),
    "priority": lambda t: (-PRIORITIES.index(t.priority), t.id),
}


def _store(global_opts: Any) -> TodoStore:
    return TodoStore(Path(global_opts.db).expanduser())


def _parse_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def _describe(todo: Todo) -> str:
    mark = "x" if todo.done else " "
    due = f" (due {todo.due})" if todo.due else ""
    flag = {"high": "!", "normal": "", "low": "~"}[todo.priority]
    return f"[{mark}] #{todo.id} {flag}{todo.text}{due}"


def cmd_add(global_opts: Any, opts: Any, args: list[str]) -> int:
    store = _store(global_opts)
    todo = store.add(" ".join(args), opts.priority, opts.due)
    store.save()
    if global_opts.verbose:
        print(f"added #{todo.id} (priority {todo.priority}, due {todo.due or 'never'})")
    else:
        print(f"added #{todo.id}")
    return 0


def cmd_list(global_opts: Any, opts: Any, args: list[str]) -> int:
    todos = [t for t in _store(global_opts).todos if opts.all or not t.done]
    if opts.priority:
        todos = [t for t in todos if t.priority == opts.priority]
    for todo in sorted(todos, key=SORT_KEYS[opts.sort]):
        print(_describe(todo))
    if global_opts.verbose:
        print(f"{len(todos)} task(s)")
    return 0


def cmd_done(global_opts: Any, opts: Any, args: list[str]) -> int:
    store = _store(global_opts)
    todo_id = _parse_id(args[0])
    todo = store.get(todo_id) if todo_id is not None else None
    if todo is None:
        print(f"todo: no task with id {args[0]}", file=sys.stderr)
        return 1
    todo.done = True
    store.save()
    print(f"done #{todo.id}")
    return 0


def cmd_remove(global_opts: Any, opts: Any, args: list[str]) -> int:
    store = _store(global_opts)
    todo_id = _parse_id(args[0])
    todo = store.get(todo_id) if todo_id is not None else None
    if todo is None:
        print(f"todo: no task with id {args[0]}", file=sys.stderr)
        return 1
    if not todo.done and not opts.force:
        print(f"todo: task #{todo.id} is not done; use --force to remove it anyway", file=sys.stderr)
        return 1
    store.remove(todo.id)
    store.save()
    print(f"removed #{todo.id}")
    return 0
