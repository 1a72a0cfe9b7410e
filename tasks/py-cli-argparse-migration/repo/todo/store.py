"""JSON file storage for tasks."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

PRIORITIES = ("low", "normal", "high")


@dataclass
class Todo:
    id: int
    text: str
    priority: str = "normal"
    due: str | None = None
    done: bool = False


class TodoStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.todos: list[Todo] = []
        if self.path.exists():
            self.todos = [Todo(**item) for item in json.loads(self.path.read_text(encoding="utf-8"))]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps([asdict(t) for t in self.todos], indent=2) + "\n", encoding="utf-8")

    def add(self, text: str, priority: str = "normal", due: str | None = None) -> Todo:
        todo = Todo(max((t.id for t in self.todos), default=0) + 1, text, priority, due)
        self.todos.append(todo)
        return todo

    def get(self, todo_id: int) -> Todo | None:
        return next((t for t in self.todos if t.id == todo_id), None)

    def remove(self, todo_id: int) -> None:
        self.todos = [t for t in self.todos if t.id != todo_id]
