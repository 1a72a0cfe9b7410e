"""Importers: other benchmark formats in, format-v1 task folders out."""

from routr_cli.tasks.importers.common import ImportProblem, ImportReport, TaskDraft, write_task
from routr_cli.tasks.importers.exercism import import_exercism
from routr_cli.tasks.importers.jsonl import import_jsonl

__all__ = [
    "ImportProblem",
    "ImportReport",
    "TaskDraft",
    "import_exercism",
    "import_jsonl",
    "write_task",
]
