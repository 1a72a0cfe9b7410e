"""Counts read right: "1 task", "2 tasks". An f-string that puts a number straight before
a plural noun ("{n} tasks") says "1 tasks" when n is 1; `routr_cli.text.plural` does not."""

from __future__ import annotations

import ast
import re
from itertools import pairwise

from routr_cli.paths import PACKAGE_DIR
from routr_cli.text import plural

NOUNS = (
    "tasks", "attempts", "runs", "models", "files", "tests", "rows", "errors", "containers",
    "images", "exercises", "records", "turns", "calls", "providers", "lines", "categories",
)  # fmt: skip
COUNTED = re.compile(rf"^ (({'|'.join(NOUNS)})\b|[\w ]+?\((s|es)\))")  # "tasks", "task(s)"
# What reads as a count: len(...), arithmetic, a subscript, or a name that says so.
COUNT_NAME = re.compile(
    r"^(n|n_\w+|num\w*|\w*count\w*|\w*total\w*|\w*_?(done|added|skipped|recorded|written|"
    r"retried|tried|runs|files|tasks|tests|attempts|models)|len)$"
)


def _is_count(expr: ast.expr) -> bool:
    if isinstance(expr, (ast.BinOp, ast.Subscript)):
        return True
    if isinstance(expr, ast.Call):
        return isinstance(expr.func, ast.Name) and expr.func.id == "len"
    name = expr.id if isinstance(expr, ast.Name) else getattr(expr, "attr", "")
    return bool(COUNT_NAME.match(name))


def _offenders(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        parts = node.values
        for before, after in pairwise(parts):
            if (
                isinstance(before, ast.FormattedValue)
                and _is_count(before.value)
                and isinstance(after, ast.Constant)
                and isinstance(after.value, str)
                and COUNTED.match(after.value)
            ):
                found.append(f"{name}:{node.lineno}: {{...}}{after.value[:30]!r}")
    return found


def test_no_count_is_glued_to_a_plural_noun() -> None:
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        offenders += _offenders(
            path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE_DIR))
        )
    assert offenders == [], "use routr_cli.text.plural(n, 'task') for these"


def test_the_check_catches_the_slip_and_plural_gets_it_right() -> None:
    assert _offenders('n = 1\nx = f"{n} tasks left"\n', "t.py") == ["t.py:2: {...}' tasks left'"]
    assert _offenders('x = f"{len(xs)} turn(s)"\n', "t.py") != []
    assert _offenders('x = f"{what} tasks"\n', "t.py") == []  # a category, not a count
    assert _offenders("x = f\"{plural(n, 'task')} left\"\n", "t.py") == []
    assert [plural(n, "task") for n in (0, 1, 2)] == ["0 tasks", "1 task", "2 tasks"]
    assert plural(1, "category", "categories") == "1 category"
    assert plural(3, "category", "categories") == "3 categories"
