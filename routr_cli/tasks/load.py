"""Load format-v1 task folders, with one-line errors that name the file and the field.

Every malformed input is a ``TaskFormatError`` whose message starts with the offending
path, so a user fixing a folder of tasks can jump straight to it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from routr_cli.errors import TaskFormatError
from routr_cli.tasks.model import (
    DEFAULT_IMAGE,
    DIFFICULTIES,
    HARNESS_FILES,
    GradeSpec,
    Limits,
    Task,
    is_protected,
    iter_files,
)
from routr_cli.tasks.proof import FIELDS as VALIDATED_FIELDS

ID_RE = re.compile(r"^[a-z0-9-]{3,64}$")
# A family names an origin shared by several tasks (``exercism:two-fer``), so it allows
# the separators a source path or a benchmark id uses.
FAMILY_RE = re.compile(r"^[a-z0-9][a-z0-9:/._-]{0,127}$")
TOP_FIELDS = {
    "format",
    "id",
    "title",
    "category",
    "language",
    "difficulty",
    "tags",
    "family",
    "image",
    "grade",
    "solution",
    "limits",
    "validated",
}
REQUIRED_TOP = ("format", "id", "title", "category", "language", "difficulty", "grade")
GRADE_FIELDS = {"command", "timeout_s", "fail_to_pass", "pass_to_pass", "protected"}
SOLUTION_FIELDS = {"delete"}
LIMIT_FIELDS = {"cpus", "memory_mb", "pids"}

PARTS = ("task.toml", "prompt.md", "repo", "tests", "solution")
# Upper bounds that no real task reaches. Past them the kernel or Docker rejects the
# container, which would surface at grading time as a misleading "Docker failed" error.
MAXIMUMS = {
    "grade.timeout_s": 86_400,  # a day
    "limits.cpus": 1024,  # the sandbox also caps it at the engine's CPU count
    "limits.memory_mb": 1024 * 1024,  # 1 TiB
    "limits.pids": 4_194_304,  # the kernel's PID_MAX_LIMIT
}


def _fail(path: Path, field: str | None, problem: str) -> TaskFormatError:
    where = f"{path}: {field}: " if field else f"{path}: "
    return TaskFormatError(where + problem)


def _check_keys(path: Path, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in sorted(table):
        if key not in allowed:
            name = f"{prefix}{key}"
            raise _fail(path, name, f"unknown field (allowed: {', '.join(sorted(allowed))})")


def _str(path: Path, data: dict[str, Any], key: str, prefix: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, prefix + key, "must be a non-empty string")
    return value


def _str_list(path: Path, data: dict[str, Any], key: str, prefix: str = "") -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, prefix + key, "must be a list of strings")
    return tuple(value)


def _number(
    path: Path, data: dict[str, Any], key: str, kind: type, default: Any, prefix: str
) -> Any:
    value = data.get(key, default)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        ok = ok and isinstance(value, int)
    noun = "integer" if kind is int else "number"
    if not ok or value <= 0:
        raise _fail(path, prefix + key, f"must be a positive {noun}")
    maximum = MAXIMUMS[prefix + key]
    if value > maximum:
        raise _fail(path, prefix + key, f"{value!r} is too large (at most {maximum})")
    return value


def _check_text(path: Path) -> None:
    """Task files travel as text (a change maps paths to text): refuse other bytes loudly.

    Read leniently, a binary test fixture would reach the sandbox silently corrupted and
    fail the reference with a baffling error; this names the file instead.
    """
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(
            path, None, f"not UTF-8 text (byte {exc.start}): task files must be text in format 1"
        ) from exc


def load_task(folder: Path) -> Task:
    """Load and check one task folder; raise ``TaskFormatError`` on the first problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise _fail(folder, None, "not a task folder (expected a directory)")
    for part in PARTS:
        target = folder / part
        if part.endswith((".toml", ".md")):
            if not target.is_file():
                raise _fail(
                    folder, None, f"missing {part} (a task folder needs {', '.join(PARTS)})"
                )
        elif not target.is_dir():
            raise _fail(folder, None, f"missing {part}/ (a task folder needs {', '.join(PARTS)})")

    toml_path = folder / "task.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(toml_path, None, f"invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise _fail(toml_path, None, "not UTF-8 text") from exc

    _check_keys(toml_path, data, TOP_FIELDS, "")
    for key in REQUIRED_TOP:
        if key not in data:
            raise _fail(toml_path, key, "missing required field")
    if type(data["format"]) is not int or data["format"] != 1:  # `true` and 1.0 equal 1
        raise _fail(
            toml_path,
            "format",
            f"unsupported format {data['format']!r} (this Routr reads format = 1)",
        )

    task_id = _str(toml_path, data, "id")
    if not ID_RE.match(task_id):
        raise _fail(toml_path, "id", f"{task_id!r} must be 3-64 characters of a-z, 0-9 and '-'")
    if task_id != folder.name:
        raise _fail(toml_path, "id", f"{task_id!r} must equal the folder name {folder.name!r}")
    title = _str(toml_path, data, "title")
    category = _str(toml_path, data, "category")
    language = _str(toml_path, data, "language")
    difficulty = _str(toml_path, data, "difficulty")
    if difficulty not in DIFFICULTIES:
        raise _fail(
            toml_path, "difficulty", f"{difficulty!r} must be one of {', '.join(DIFFICULTIES)}"
        )
    tags = _str_list(toml_path, data, "tags")
    family = _str(toml_path, data, "family") if "family" in data else None
    if family is not None and not FAMILY_RE.match(family):
        raise _fail(
            toml_path,
            "family",
            f"{family!r} must be 1-128 characters of a-z, 0-9 and '-:/._', starting with a-z or 0-9",
        )
    if "image" in data:
        image = _str(toml_path, data, "image")
    elif language in DEFAULT_IMAGE:
        image = DEFAULT_IMAGE[language]
    else:
        raise _fail(toml_path, "image", f"required for language {language!r} (no default image)")

    grade_table = data["grade"]
    if not isinstance(grade_table, dict):
        raise _fail(toml_path, "grade", "must be a table ([grade])")
    _check_keys(toml_path, grade_table, GRADE_FIELDS, "grade.")
    if "command" not in grade_table:
        raise _fail(toml_path, "grade.command", "missing required field")
    grade = GradeSpec(
        command=_str(toml_path, grade_table, "command", "grade."),
        timeout_s=_number(toml_path, grade_table, "timeout_s", int, 120, "grade."),
        fail_to_pass=_str_list(toml_path, grade_table, "fail_to_pass", "grade."),
        pass_to_pass=_str_list(toml_path, grade_table, "pass_to_pass", "grade."),
        protected=_str_list(toml_path, grade_table, "protected", "grade."),
    )
    for pattern in grade.protected:
        if not pattern.strip() or pattern.startswith("/") or ".." in Path(pattern).parts:
            raise _fail(
                toml_path, "grade.protected", f"{pattern!r} must be a relative path or glob"
            )

    solution_table = data.get("solution", {})
    if not isinstance(solution_table, dict):
        raise _fail(toml_path, "solution", "must be a table ([solution])")
    _check_keys(toml_path, solution_table, SOLUTION_FIELDS, "solution.")
    delete = _str_list(toml_path, solution_table, "delete", "solution.")
    for rel in delete:
        if rel.startswith("/") or ".." in Path(rel).parts:
            raise _fail(
                toml_path, "solution.delete", f"{rel!r} must be a relative path inside repo/"
            )
        if not (folder / "repo" / rel).is_file():
            raise _fail(toml_path, "solution.delete", f"{rel!r} does not exist in repo/")

    limits_table = data.get("limits", {})
    if not isinstance(limits_table, dict):
        raise _fail(toml_path, "limits", "must be a table ([limits])")
    _check_keys(toml_path, limits_table, LIMIT_FIELDS, "limits.")
    defaults = Limits()
    limits = Limits(
        cpus=float(_number(toml_path, limits_table, "cpus", float, defaults.cpus, "limits.")),
        memory_mb=_number(toml_path, limits_table, "memory_mb", int, defaults.memory_mb, "limits."),
        pids=_number(toml_path, limits_table, "pids", int, defaults.pids, "limits."),
    )

    validated_table = data.get("validated", {})
    if not isinstance(validated_table, dict):
        raise _fail(toml_path, "validated", "must be a table ([validated])")
    _check_keys(toml_path, validated_table, VALIDATED_FIELDS, "validated.")
    validated_hash = (
        _str(toml_path, validated_table, "hash", "validated.")
        if "hash" in validated_table
        else None
    )

    try:
        prompt = (folder / "prompt.md").read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(folder / "prompt.md", None, "not UTF-8 text") from exc
    if not prompt.strip():
        raise _fail(folder / "prompt.md", None, "empty prompt")
    trees = {part: iter_files(folder / part) for part in ("repo", "tests", "solution")}
    if not trees["repo"]:
        raise _fail(folder / "repo", None, "empty repo/ (the starting repository needs files)")
    if not trees["tests"]:
        raise _fail(folder / "tests", None, "empty tests/ (hidden tests are required to grade)")
    if not trees["solution"] and not delete:
        raise _fail(
            folder / "solution", None, "empty reference change (add files or [solution].delete)"
        )
    for path in (p for files in trees.values() for p in files):
        _check_text(path)
    harness = (*HARNESS_FILES, *grade.protected)
    touched = [(p, p.relative_to(folder / "solution").as_posix()) for p in trees["solution"]]
    touched += [(folder / "repo" / rel, rel) for rel in delete]
    for path, rel in touched:
        if is_protected(rel, harness):
            raise _fail(
                path,
                None,
                "the reference changes a protected test-harness file, which grading restores"
                " to repo/'s state (move the change elsewhere)",
            )

    return Task(
        id=task_id,
        title=title,
        category=category,
        language=language,
        difficulty=difficulty,
        image=image,
        grade=grade,
        path=folder.resolve(),
        tags=tags,
        solution_delete=delete,
        limits=limits,
        validated_hash=validated_hash,
        family=family,
    )


def find_task_folders(root: Path) -> list[Path]:
    """Sub-folders of ``root`` that look like tasks (anything but hidden folders), sorted."""
    root = Path(root)
    if not root.is_dir():
        raise TaskFormatError(f"{root}: no such tasks folder (pass --tasks DIR)")
    if (root / "task.toml").is_file():  # a common slip: one task where a suite is expected
        raise TaskFormatError(
            f"{root}: this is one task, not a folder of tasks "
            f"(pass --tasks {root.parent} and the id {root.name})"
        )
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def select_task_folders(root: Path, ids: Sequence[str] | None = None) -> list[Path]:
    """The folders of ``ids`` under ``root`` (each once, in the order given), or all of them.

    An id with no folder is an error rather than a silent skip: a typo must not shrink
    a validation or a bench run without anyone noticing.
    """
    folders = find_task_folders(root)
    if not ids:
        return folders
    by_name = {p.name: p for p in folders}
    missing = [i for i in ids if i not in by_name]
    if missing:
        raise TaskFormatError(f"unknown task id {missing[0]!r} in {root} (see `routr tasks list`)")
    return [by_name[i] for i in dict.fromkeys(ids)]


def load_tasks(root: Path, ids: Sequence[str] | None = None) -> list[Task]:
    """Load every task under ``root`` (or only ``ids``); the first malformed one raises."""
    tasks, errors = load_tasks_lenient(root, ids)
    if errors:
        raise errors[0]
    return tasks


def load_tasks_lenient(
    root: Path, ids: Sequence[str] | None = None
) -> tuple[list[Task], list[TaskFormatError]]:
    """Load what loads; return the malformed ones as errors instead of stopping."""
    folders = select_task_folders(root, ids)
    tasks: list[Task] = []
    errors: list[TaskFormatError] = []
    for folder in folders:
        try:
            tasks.append(load_task(folder))
        except TaskFormatError as exc:
            errors.append(exc)
    return tasks, errors
