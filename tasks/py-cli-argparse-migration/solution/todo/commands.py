"""Command handlers: parsed command-line options in, exit code out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from todo.store import PRIORITIES, Todo, TodoStore

SORT_KEYS = {
    "id": lambda t: t.id,
    "due": lambda t: (t.due is None, t.due or "", t.id),
    "priority": lambda t: (-PRIORITIES.index(t.priority), t.id),
}


def _store(options: argparse.Namespace) -> TodoStore:
    return TodoStore(Path(options.db).expanduser())


def _parse_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def _describe(todo: Todo) -> str:
    mark = "x" if todo.done else " "
    due = f" (due {todo.due})" if todo.due else ""
    flag = {"high": "!", "normal": "", "low": "~"}[todo.priority]
    return f"[{mark}] #{todo.id} {flag}{todo.text}{due}"


def cmd_add(options: argparse.Namespace) -> int:
    store = _store(options)
    todo = store.add(" ".join(options.words), options.priority, options.due)
    store.save()
    if options.verbose:
        print(f"added #{todo.id} (priority {todo.priority}, due {todo.due or 'never'})")
    else:
        print(f"added #{todo.id}")
    return 0


def cmd_list(options: argparse.Namespace) -> int:
    todos = [t for t in _store(options).todos if options.all or not t.done]
    if options.priority:
        todos = [t for t in todos if t.priority == options.priority]
    for todo in sorted(todos, key=SORT_KEYS[options.sort]):
        print(_describe(todo))
    if options.verbose:
        print(f"{len(todos)} task(s)")
    return 0


def cmd_done(options: argparse.Namespace) -> int:
    store = _store(options)
    todo_id = _parse_id(options.id)
    todo = store.get(todo_id) if todo_id is not None else None
    if todo is None:
        print(f"todo: no task with id {options.id}", file=sys.stderr)
        return 1
    todo.done = True
    store.save()
    print(f"done #{todo.id}")
    return 0


def cmd_remove(options: argparse.Namespace) -> int:
    store = _store(options)
    todo_id = _parse_id(options.id)
    todo = store.get(todo_id) if todo_id is not None else None
    if todo is None:
        print(f"todo: no task with id {options.id}", file=sys.stderr)
        return 1
    if not todo.done and not options.force:
        print(f"todo: task #{todo.id} is not done; use --force to remove it anyway", file=sys.stderr)
        return 1
    store.remove(todo.id)
    store.save()
    print(f"removed #{todo.id}")
    return 0
