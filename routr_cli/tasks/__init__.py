"""Task format v1: load, check, validate, import."""

from routr_cli.tasks.load import load_task, load_tasks, load_tasks_lenient
from routr_cli.tasks.model import CATEGORIES, DIFFICULTIES, Change, GradeSpec, Limits, Task

__all__ = [
    "CATEGORIES",
    "DIFFICULTIES",
    "Change",
    "GradeSpec",
    "Limits",
    "Task",
    "load_task",
    "load_tasks",
    "load_tasks_lenient",
]
