"""``routr export``: attempts or a leaderboard as CSV, Parquet, JSON lines, JSON or Markdown.

DuckDB writes every file itself (``COPY ... TO``), so there is no extra dependency and the
types survive (Parquet keeps timestamps and numbers as such). Markdown is the exception:
DuckDB has no such format, so the rows it selects are laid out here.

A file is written to a temporary name beside the target and renamed into place when
complete: an interrupted export never leaves half a file under the name asked for.
Without a file (or with ``-``) the bytes go to stdout, except Parquet, which is binary and
needs a file.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError

FORMATS = ("csv", "parquet", "jsonl", "json", "markdown")
_SUFFIXES = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
}
_COPY_OPTIONS = {
    "csv": "FORMAT csv, HEADER true",
    "parquet": "FORMAT parquet",
    "jsonl": "FORMAT json",
    "json": "FORMAT json, ARRAY true",
}


def choose_format(fmt: str | None, out: Path | None) -> str:
    """``fmt`` checked, or the one ``out``'s suffix names, or CSV."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    if out is not None and out.suffix.lower() in _SUFFIXES:
        return _SUFFIXES[out.suffix.lower()]
    return "csv"


def check_target(fmt: str, out: Path | None) -> None:
    """Refuse, before any work, an output that cannot be written."""
    if out is None:
        if fmt == "parquet":
            raise ConfigError("parquet is binary and needs a file: pass -o FILE.parquet")
        return
    if out.is_dir():
        raise ConfigError(f"{out} is a folder: pass a file name with -o")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ConfigError(f"the folder {folder} does not exist: create it or pick another -o")
    if not os.access(folder, os.W_OK):
        raise ConfigError(f"cannot write in {folder}: pick another -o")


def _sql_string(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _markdown_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, sort_keys=True)
    else:
        text = str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


Label = Callable[[str, bool], str]


def markdown_table(
    names: Sequence[str], rows: Sequence[Sequence[Any]], label: Label | None = None
) -> str:
    """A GitHub-flavoured Markdown table; pipes and newlines in values are escaped.

    Markdown is read by people, so ``label`` (the CLI passes ``display_name``) gives a
    simulated model's name its "(simulated)" as on every screen; the other formats have
    the ``simulated`` column for machines.
    """
    model = names.index("model") if "model" in names else None
    simulated = names.index("simulated") if "simulated" in names else None
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for row in rows:
        cells = list(row)
        if label is not None and model is not None and isinstance(cells[model], str):
            flag = bool(cells[simulated]) if simulated is not None else False
            cells[model] = label(cells[model], flag)
        lines.append("| " + " | ".join(_markdown_cell(v) for v in cells) + " |")
    return "\n".join(lines) + "\n"


@contextmanager
def _staged(out: Path | None, fmt: str) -> Iterator[Path]:
    """A temporary path to write to; afterwards moved to ``out`` or copied to stdout."""
    folder = None if out is None else (out.parent if str(out.parent) else Path("."))
    staging = Path(tempfile.mkdtemp(prefix=".routr-export-", dir=folder))
    try:
        path = staging / f"export.{fmt}"
        yield path
        if out is None:
            sys.stdout.flush()
            with path.open("rb") as handle:
                shutil.copyfileobj(handle, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            os.replace(path, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def copy_query(
    con: Any, sql: str, params: list[Any], fmt: str, out: Path | None, label: Label | None = None
) -> int:
    """Write what ``sql`` selects in ``fmt`` to ``out`` (None: stdout); return the row count."""
    check_target(fmt, out)
    with _staged(out, fmt) as path:
        if fmt == "markdown":
            cursor = con.execute(sql, params)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            path.write_text(markdown_table(names, rows, label), encoding="utf-8")
            return len(rows)
        con.execute(f"COPY ({sql}) TO {_sql_string(path)} ({_COPY_OPTIONS[fmt]})", params)
        count = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    return int(count)


def export_records(
    records: list[dict[str, Any]], fmt: str, out: Path | None, label: Label | None = None
) -> int:
    """Plain records (a leaderboard's rows) written by DuckDB, read from their JSON."""
    import duckdb

    check_target(fmt, out)
    with tempfile.TemporaryDirectory(prefix="routr-records-") as folder:
        source = Path(folder) / "records.json"
        source.write_text(json.dumps(records), encoding="utf-8")
        con = duckdb.connect()
        try:
            sql = (
                f"SELECT * FROM read_json({_sql_string(source)}, format='array')"
                if records
                else "SELECT NULL AS empty WHERE false"
            )
            return copy_query(con, sql, [], fmt, out, label)
        finally:
            con.close()
