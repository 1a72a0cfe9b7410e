"""docs/schema.md is the reference for SQL users: every table and column the migrations
make is documented there, and its example queries run."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from routr_cli.paths import PROJECT_ROOT
from routr_cli.store import Store

DOC = PROJECT_ROOT / "docs" / "schema.md"


def _documented() -> dict[str, set[str]]:
    """Table name (a `## name` heading) -> the column names its table rows list."""
    tables: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"## (\w+)", line)
        if heading:
            current = tables.setdefault(heading[1], set())
        elif current is not None and line.startswith("| ") and not line.startswith("| column"):
            first = line.split("|")[1]
            current.update(name.strip() for name in first.split(","))
    return tables


def test_every_table_and_column_is_documented(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    Store.open(path).close()
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall()
    con.close()
    documented = _documented()
    missing = sorted(
        f"{table}.{column}" for table, column in rows if column not in documented.get(table, set())
    )
    assert not missing, f"document these in docs/schema.md (a table per `## table`): {missing}"


def test_the_example_queries_run(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    Store.open(path).close()
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    statements = [s.strip() for block in blocks for s in block.split(";") if s.strip()]
    assert len(statements) >= 3
    con = duckdb.connect(str(path), read_only=True)
    try:
        for statement in statements:
            con.execute(statement).fetchall()
    finally:
        con.close()
