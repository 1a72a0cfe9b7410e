"""Import HumanEval-style JSONL: one function to complete per record.

Each line is an object with ``task_id``, ``prompt`` (imports, signature, docstring),
``canonical_solution`` (the body), ``test`` (defines ``check(candidate)``) and
``entry_point`` (the function's name). A record becomes:

- ``repo/solution.py``: the prompt with a body of ``raise NotImplementedError``;
- ``solution/solution.py``: prompt + canonical solution;
- ``tests/test_solution.py``: the record's test code, plus one pytest test per
  top-level ``assert`` in ``check`` (so the partial score means something), or a
  single test calling ``check`` when its body is more than plain asserts;
- ``prompt.md``: asks for the function, quoting its signature and docstring.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError
from routr_cli.tasks.importers.common import (
    PYTEST_COMMAND,
    ImportProblem,
    ImportReport,
    TaskDraft,
    check_category,
    family_name,
    slugify_id,
    write_drafts,
)

REQUIRED_FIELDS = ("task_id", "prompt", "canonical_solution", "test", "entry_point")
MODULE = "solution"
# HumanEval-X names a record ``<Language>/<n>``: the same problem in every language.
HUMANEVAL_X_LANGUAGES = frozenset(
    {"python", "cpp", "c++", "go", "java", "javascript", "js", "rust", "typescript", "ts"}
)


def record_family(task_id: str, stem: str) -> str | None:
    """The family of a record (task-format.md): ``HumanEval/0`` and HumanEval-X's
    ``Python/0`` are both ``humaneval:0``, so one problem imported from several files is
    one origin; another ``<prefix>/<rest>`` id gives ``<prefix>:<rest>``; an id without a
    slash gives ``<file stem>:<id>``."""
    prefix, slash, rest = task_id.strip().partition("/")
    if slash and prefix.strip() and rest.strip():
        source = prefix.strip().lower()
        if source in HUMANEVAL_X_LANGUAGES:
            source = "humaneval"
        source = re.sub(r"[^a-z0-9]+", "-", source).strip("-") or "jsonl"
        return family_name(source, rest)
    source = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "jsonl"
    return family_name(source, task_id)


def _stub(prompt: str, entry_point: str, where: str) -> str:
    """The prompt with a body that raises, indented like the entry point's body."""
    matches = list(re.finditer(rf"(?m)^([ \t]*)def[ \t]+{re.escape(entry_point)}[ \t]*\(", prompt))
    match = matches[-1] if matches else None
    if match is None:
        raise ImportProblem(f"{where}: prompt: no `def {entry_point}(` (entry_point) in the prompt")
    indent = match.group(1) + "    "
    return prompt.rstrip() + f"\n{indent}raise NotImplementedError\n"


def _check_asserts(test_src: str, where: str) -> list[str] | None:
    """Source of each top-level assert in ``check``; None when check does more than assert."""
    try:
        tree = ast.parse(test_src)
    except SyntaxError as exc:
        raise ImportProblem(
            f"{where}: test: not valid Python ({exc.msg}, line {exc.lineno})"
        ) from exc
    check = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check"), None
    )
    if check is None:
        raise ImportProblem(f"{where}: test: defines no check(candidate) function")
    body = list(check.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # a docstring
    statements = [s for s in body if not isinstance(s, ast.Pass)]
    if not statements or not all(isinstance(s, ast.Assert) for s in statements):
        return None
    sources = [ast.get_source_segment(test_src, s) for s in statements]
    return [s for s in sources if s]


def _test_file(record: dict[str, str], where: str) -> str:
    entry = record["entry_point"]
    test_src = record["test"].rstrip() + "\n"
    asserts = _check_asserts(test_src, where)
    parts = [
        f'"""Hidden tests for {record["task_id"]}, converted from its `check(candidate)`."""\n',
        f"from {MODULE} import {entry} as _entry_point\n",
        "",
        "# --- the record's test code, verbatim ---",
        test_src,
        "# --- pytest tests ---",
    ]
    if asserts:
        width = len(str(len(asserts)))
        for number, source in enumerate(asserts, start=1):
            parts.append(
                f"\ndef test_assert_{number:0{width}d}() -> None:\n"
                f"    candidate = _entry_point\n"
                f"    {source}\n"
            )
    else:
        parts.append("\ndef test_check() -> None:\n    check(_entry_point)\n")
    return "\n".join(parts)


def _prompt_md(record: dict[str, str]) -> str:
    entry = record["entry_point"]
    return (
        f"# Implement `{entry}`\n\n"
        f"`{MODULE}.py` declares `{entry}` with a docstring describing what it must do, "
        "but its body only raises `NotImplementedError`. Implement it so that it behaves "
        "as the docstring says, including the examples. Keep the function's name and "
        "signature; use only the standard library.\n\n"
        f"```python\n{record['prompt'].strip()}\n```\n"
    )


def record_to_draft(record: Any, where: str, category: str, stem: str = "jsonl") -> TaskDraft:
    """Convert one parsed JSON value; ``where`` names it in problems (``line 3``);
    ``stem`` (the source file's) names the family of an id without a prefix."""
    if not isinstance(record, dict):
        raise ImportProblem(f"{where}: expected a JSON object, got {type(record).__name__}")
    for name in REQUIRED_FIELDS:
        if name not in record:
            raise ImportProblem(f"{where}: missing field {name!r}")
        if not isinstance(record[name], str) or not record[name].strip():
            raise ImportProblem(f"{where}: field {name!r} must be a non-empty string")
    where = f"{where} ({record['task_id']})"
    entry = record["entry_point"]
    if not entry.isidentifier():
        raise ImportProblem(f"{where}: entry_point {entry!r} is not a Python identifier")
    try:
        task_id = slugify_id(record["task_id"])
    except ImportProblem as exc:
        raise ImportProblem(f"{where}: task_id: {exc}") from exc
    stub = _stub(record["prompt"], entry, where)
    reference = record["prompt"] + record["canonical_solution"]
    try:
        ast.parse(reference)
    except SyntaxError as exc:
        raise ImportProblem(
            f"{where}: prompt + canonical_solution is not valid Python ({exc.msg})"
        ) from exc
    return TaskDraft(
        id=task_id,
        title=f"Implement {entry} ({record['task_id']})",
        category=category,
        language="python",
        difficulty="easy",
        grade_command=PYTEST_COMMAND,
        prompt=_prompt_md(record),
        repo={f"{MODULE}.py": stub},
        tests={"test_solution.py": _test_file(record, where)},
        solution={f"{MODULE}.py": reference.rstrip() + "\n"},
        tags=("imported", "jsonl"),
        timeout_s=60,
        comment=f"Imported from JSONL record {record['task_id']} by `routr tasks import jsonl`.",
        family=record_family(record["task_id"], stem),
    )


def read_drafts(path: Path, category: str = "feature") -> list[TaskDraft | ImportProblem]:
    """One draft or problem per non-blank line of ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read ({exc.strerror}): pass an existing JSONL file"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}): pass a UTF-8 JSONL file"
        ) from exc
    out: list[TaskDraft | ImportProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(ImportProblem(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        try:
            out.append(record_to_draft(record, where, category, path.stem))
        except ImportProblem as exc:
            out.append(exc)
    if not out:
        raise ConfigError(f"{path}: no records (expected one JSON object per line)")
    return out


def import_jsonl(path: Path, out_dir: Path, category: str = "feature") -> ImportReport:
    """Convert every record of ``path`` into ``out_dir/<id>/``; bad records are reported."""
    return write_drafts(read_drafts(path, check_category(category)), out_dir)
