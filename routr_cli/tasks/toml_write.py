"""Rewrite the two test lists of a task.toml in place, leaving every other byte alone.

`routr tasks validate --write` computes ``fail_to_pass`` and ``pass_to_pass``; authors
keep their comments and key order, and a re-run produces a one-line-per-test diff.
Only the two keys inside the ``[grade]`` table are replaced (or appended to it when
absent); the result is parsed back and compared to the original data before it is
written, so a rewrite can never change anything else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from routr_cli.errors import TaskFormatError

LIST_KEYS = ("fail_to_pass", "pass_to_pass")
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_AT = re.compile(r"(?m)^[ \t]*([A-Za-z0-9_\-\"']+)[ \t]*=")


def render_list(key: str, values: Sequence[str]) -> str:
    """``key = [...]`` with one sorted, de-duplicated value per line (``[]`` when empty)."""
    items = sorted(set(values))
    if not items:
        return f"{key} = []\n"
    body = "".join(f"    {json.dumps(item)},\n" for item in items)
    return f"{key} = [\n{body}]\n"


def _value_end(text: str, start: int) -> int:
    """Index just past the end of the TOML value beginning at ``start`` (after ``=``).

    Handles arrays spanning lines, nested brackets, basic and literal strings and
    comments; the value ends at the newline after its closing bracket (or its line).
    """
    depth = 0
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            triple = text[i : i + 3] == ch * 3
            quote = ch * 3 if triple else ch
            i += len(quote)
            while i < n and text[i : i + len(quote)] != quote:
                i += 2 if (ch == '"' and text[i] == "\\") else 1
            i += len(quote)
            continue
        if ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "\n" and depth <= 0:
            return i + 1
        i += 1
    return n


def _key_values(body: str) -> dict[str, tuple[int, int]]:
    """Each top-level key of a table body -> (start of its line, end of its value)."""
    entries: dict[str, tuple[int, int]] = {}
    pos = 0
    while True:
        match = _KEY_AT.search(body, pos)
        if match is None:
            return entries
        end = _value_end(body, match.end())
        entries[match.group(1).strip("\"'")] = (match.start(), end)
        pos = end


def _grade_table_span(lines: list[str]) -> tuple[int, int] | None:
    """Line range [start, end) of the body of ``[grade]``, or None when absent."""
    start: int | None = None
    for index, line in enumerate(lines):
        match = _TABLE_HEADER.match(line)
        if not match:
            continue
        if start is not None:
            return start, index
        if match.group(1) == "grade" and not line.lstrip().startswith("[["):
            start = index + 1
    return (start, len(lines)) if start is not None else None


def rewrite_test_lists(text: str, lists: dict[str, Sequence[str]], where: Path) -> str:
    """``text`` with the given ``[grade]`` list keys replaced; raises if it cannot."""
    lines = text.splitlines(keepends=True)
    span = _grade_table_span(lines)
    if span is None:
        raise TaskFormatError(f"{where}: grade: no [grade] table to write the test lists into")
    start, end = span
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    body_start, body_end = offsets[start], offsets[end]
    body = text[body_start:body_end]
    for key in LIST_KEYS:
        if key not in lists:
            continue
        rendered = render_list(key, lists[key])
        entries = _key_values(body)
        if key in entries:
            key_start, value_end = entries[key]
            body = body[:key_start] + rendered + body[value_end:]
        else:
            # Append after the table's last value, before trailing blank lines/comments.
            insert_at = max((end for _, end in entries.values()), default=0)
            prefix = body[:insert_at]
            if prefix and not prefix.endswith("\n"):
                prefix += "\n"
            body = prefix + rendered + body[insert_at:]
    new_text = text[:body_start] + body + text[body_end:]
    _check_same_except_lists(text, new_text, lists, where)
    return new_text


def _check_same_except_lists(
    old: str, new: str, lists: dict[str, Sequence[str]], where: Path
) -> None:
    try:
        before: dict[str, Any] = tomllib.loads(old)
        after: dict[str, Any] = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise TaskFormatError(f"{where}: cannot rewrite the test lists safely: {exc}") from exc
    for key, values in lists.items():
        if after.get("grade", {}).get(key) != sorted(set(values)):
            raise TaskFormatError(f"{where}: grade.{key}: rewrite did not take; edit it by hand")
        before.get("grade", {}).pop(key, None)
        after.get("grade", {}).pop(key, None)
    if before != after:
        raise TaskFormatError(f"{where}: rewriting the test lists would change other fields")


def write_test_lists(
    toml_path: Path, fail_to_pass: Sequence[str], pass_to_pass: Sequence[str]
) -> bool:
    """Write both lists into ``toml_path``; True when the file changed.

    The new text goes to a temporary file beside it, then replaces it in one rename, so
    an interrupted run (Ctrl-C, a full disk) never leaves a half-written task.toml.
    """
    text = toml_path.read_text(encoding="utf-8")
    new_text = rewrite_test_lists(
        text, {"fail_to_pass": fail_to_pass, "pass_to_pass": pass_to_pass}, toml_path
    )
    if new_text == text:
        return False
    replace_task_file(
        toml_path,
        new_text,
        "the test lists",
        "make the task folder writable, or fill grade.fail_to_pass/pass_to_pass by hand",
    )
    return True


def replace_task_file(path: Path, new_text: str, what: str, fix: str) -> None:
    """Write ``new_text`` over ``path`` atomically (a sibling temporary file, then a
    rename), so a crash never leaves a half-written task.toml; a failure is one line
    naming ``what`` was being written and the ``fix``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(new_text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise TaskFormatError(f"{path}: cannot write {what} ({exc.strerror}): {fix}") from exc
