"""What every importer shares: the draft of a task, writing it as a folder, the report.

An importer turns foreign records into ``TaskDraft``s; ``write_task`` renders one as a
format-v1 folder and loads it back, so an importer can never emit a task the loader
rejects. Writing is deterministic (sorted files, no timestamps) and replaces the folder,
so importing twice gives identical trees.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from routr_cli.errors import ConfigError, TaskFormatError
from routr_cli.tasks.load import FAMILY_RE, ID_RE, load_task
from routr_cli.tasks.model import Task

PYTEST_COMMAND = "python3 -m pytest -q -p no:cacheprovider --junitxml=$ROUTR_JUNIT tests"


class ImportProblem(Exception):
    """One record or exercise that cannot be converted; the message says which field."""


@dataclass(frozen=True)
class TaskDraft:
    """A task in memory, before it becomes a folder; file maps are relative paths -> text."""

    id: str
    title: str
    category: str
    language: str
    difficulty: str
    grade_command: str
    prompt: str
    repo: dict[str, str]
    tests: dict[str, str]
    solution: dict[str, str]
    tags: tuple[str, ...] = ()
    timeout_s: int = 120
    comment: str = ""  # first line of task.toml: where the task came from
    family: str | None = None  # the shared origin (task-format.md), clustered by the ranking


@dataclass
class ImportReport:
    """What an import produced: the written tasks and one line per input it skipped.

    ``unsupported`` counts inputs in languages no importer handles (one summary line,
    not one per input); ``flagged`` names written tasks that ``routr tasks validate``
    must still confirm (they are not counted as good).
    """

    written: list[Task] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unsupported: Counter[str] = field(default_factory=Counter)
    flagged: list[str] = field(default_factory=list)

    def unsupported_line(self) -> str | None:
        """``skipped 103 exercises in unsupported languages: cpp 26, java 47, rust 30``."""
        if not self.unsupported:
            return None
        total = sum(self.unsupported.values())
        counts = ", ".join(f"{name} {n}" for name, n in sorted(self.unsupported.items()))
        noun = "exercise" if total == 1 else "exercises"
        return f"skipped {total} {noun} in unsupported languages: {counts}"


def slugify_id(raw: str, prefix: str = "") -> str:
    """A task id from foreign text: lower-case, runs of other characters become '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")
    if not slug:
        raise ImportProblem(f"cannot make a task id from {raw!r} (it has no letters or digits)")
    task_id = f"{prefix}-{slug}" if prefix else slug
    if not ID_RE.match(task_id):
        raise ImportProblem(
            f"cannot make a task id from {raw!r} ({task_id!r} is not 3-64 of a-z0-9-)"
        )
    return task_id


def family_name(source: str, name: str) -> str | None:
    """``source:name`` as a task family (``exercism:two-fer``), or None when ``name`` has
    no letters or digits. Characters a family does not allow become '-'; the result is
    capped at 128 characters (a family is a label, not a path that must round-trip)."""
    slug = re.sub(r"[^a-z0-9._/-]+", "-", name.lower()).strip("-./_")
    if not slug:
        return None
    family = f"{source}:{slug}"[:128]
    return family if FAMILY_RE.match(family) else None


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def render_task_toml(draft: TaskDraft) -> str:
    """task.toml for a draft, with empty test lists for ``routr tasks validate --write``."""
    tags = ", ".join(_toml_str(t) for t in draft.tags)
    lines = [
        f"# {draft.comment}" if draft.comment else None,
        "format = 1",
        f"id = {_toml_str(draft.id)}",
        f"title = {_toml_str(draft.title)}",
        f"category = {_toml_str(draft.category)}",
        f"language = {_toml_str(draft.language)}",
        f"difficulty = {_toml_str(draft.difficulty)}",
        f"tags = [{tags}]",
        f"family = {_toml_str(draft.family)}" if draft.family else None,
        "",
        "[grade]",
        f"command = {_toml_str(draft.grade_command)}",
        f"timeout_s = {draft.timeout_s}",
        "# Filled by `routr tasks validate --write`.",
        "fail_to_pass = []",
        "pass_to_pass = []",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def _write_tree(root: Path, files: dict[str, str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for rel in sorted(files):
        target = root / rel
        if target.resolve() != root.resolve() and root.resolve() not in target.resolve().parents:
            raise ImportProblem(f"file path {rel!r} escapes the task folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[rel], encoding="utf-8")


def write_task(draft: TaskDraft, out_dir: Path) -> Task:
    """Write ``draft`` to ``out_dir/<id>`` (replacing it) and load it back.

    A filesystem failure (``--out`` is a file, not writable, disk full) is the same for
    every draft, so it stops the import with one ``ConfigError`` instead of a line each.
    """
    folder = out_dir / draft.id
    try:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        (folder / "task.toml").write_text(render_task_toml(draft), encoding="utf-8")
        (folder / "prompt.md").write_text(draft.prompt, encoding="utf-8")
        _write_tree(folder / "repo", draft.repo)
        _write_tree(folder / "tests", draft.tests)
        _write_tree(folder / "solution", draft.solution)
    except OSError as exc:
        raise ConfigError(
            f"{exc.filename or folder}: cannot write ({exc.strerror}): pass a writable --out DIR"
        ) from exc
    try:
        return load_task(folder)
    except TaskFormatError as exc:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a malformed task in --out
        raise ImportProblem(f"the converted task does not load: {exc}") from exc


def check_category(category: str) -> str:
    """``--category`` as given, refused up front when blank (every task would fail to load)."""
    if not category.strip():
        raise ConfigError("--category must be a non-empty label (for example feature)")
    return category


def write_drafts(drafts: list[TaskDraft | ImportProblem], out_dir: Path) -> ImportReport:
    """Write every draft; problems (and drafts that fail to write) become report lines."""
    report = ImportReport()
    seen: set[str] = set()
    for item in drafts:
        if isinstance(item, ImportProblem):
            report.problems.append(str(item))
            continue
        if item.id in seen:
            report.problems.append(f"{item.id}: duplicate task id (skipped the second one)")
            continue
        seen.add(item.id)
        try:
            report.written.append(write_task(item, out_dir))
        except ImportProblem as exc:
            report.problems.append(f"{item.id}: {exc}")
    return report
