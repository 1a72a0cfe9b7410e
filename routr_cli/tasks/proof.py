"""The validation record: proof, kept in task.toml, that a task is fit to grade models.

``routr tasks validate --write`` runs the reference and ``repo/`` in the sandbox; when
the reference passes every test and ``repo/`` fails every ``fail_to_pass`` test, it
appends (or replaces) this table at the end of task.toml::

    [validated]
    # written by `routr tasks validate --write`: the reference passed, repo/ failed
    hash = "3f2a9c0d1e4b5a6f"
    runs = 3

``hash`` is the task's content hash, which is computed *without* this table (see
:func:`strip_record` and ``hashing.task_hash``): writing the record does not make a new
task version, and any later edit to the task (a test, the prompt, a list) makes the
record stale. ``routr bench`` refuses a task whose record is missing or stale, or whose
``fail_to_pass`` is empty (issue 7: a task with no tests, or whose starting code already
passes, counted as solved for every model), unless ``--allow-unvalidated``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from routr_cli.tasks.toml_write import replace_task_file

TABLE = "validated"
FIELDS = {"hash", "runs"}
COMMENT = "# written by `routr tasks validate --write`: the reference passed, repo/ failed"
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def strip_record(text: str) -> str:
    """task.toml's text without the ``[validated]`` table; unchanged when there is none.

    With a table, the text before and after it is kept and the end normalised to one
    newline, which is exactly what :func:`with_record` appends to.
    """
    lines = text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if (m := _HEADER.match(line)) and m[1] == TABLE),
        None,
    )
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    return "".join(lines[:start] + lines[end:]).rstrip() + "\n"


def with_record(text: str, content_hash: str, runs: int) -> str:
    """``text`` with the record for ``content_hash`` at its end (any old record replaced)."""
    base = strip_record(text).rstrip() + "\n"
    return f'{base}\n[{TABLE}]\n{COMMENT}\nhash = "{content_hash}"\nruns = {runs}\n'


def recorded_hash(text: str) -> str | None:
    """The hash task.toml's record names, or None (no record, or text that is not TOML)."""
    try:
        table = tomllib.loads(text).get(TABLE)
    except tomllib.TOMLDecodeError:
        return None
    value = table.get("hash") if isinstance(table, dict) else None
    return value if isinstance(value, str) else None


def write_record(toml_path: Path, content_hash: str, runs: int) -> bool:
    """Record that the task at ``content_hash`` validated; True when task.toml changed.

    A record already naming this hash stands as it is (re-validating an unchanged task
    leaves the file alone, whatever ``runs`` this time).
    """
    text = toml_path.read_text(encoding="utf-8")
    if recorded_hash(text) == content_hash:
        return False
    new_text = with_record(text, content_hash, runs)
    if new_text == text:
        return False
    replace_task_file(toml_path, new_text, "the validation record", "make the task folder writable")
    return True


def remove_record(toml_path: Path) -> bool:
    """Drop a record the task no longer earns (it failed validation); True if removed."""
    text = toml_path.read_text(encoding="utf-8")
    new_text = strip_record(text)
    if new_text == text:
        return False
    replace_task_file(toml_path, new_text, "the validation record", "make the task folder writable")
    return True


def proof_problem(
    fail_to_pass: tuple[str, ...], record_hash: str | None, content_hash: str
) -> str | None:
    """Why a task is not proven fit to grade (one phrase), or None when it is."""
    if not fail_to_pass:
        return "its fail_to_pass list is empty"
    if record_hash is None:
        return "it has no validation record"
    if record_hash != content_hash:
        return "it changed since it was validated"
    return None
