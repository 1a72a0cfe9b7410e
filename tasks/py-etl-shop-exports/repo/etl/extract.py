"""Read export files into ``RawRow`` records."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from etl.schema import REQUIRED_COLUMNS, RawRow


class ExportFormatError(ValueError):
    """The file cannot be read as an order export at all (bad header)."""


def read_rows(path: Path) -> Iterator[RawRow]:
    """Yield the data rows of ``path``; ``line`` is the 1-based physical line number."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=",")
        header = [name.strip() for name in (reader.fieldnames or [])]
        missing = [col for col in REQUIRED_COLUMNS if col not in header]
        if missing:
            raise ExportFormatError(f"{path}: missing columns {', '.join(missing)}")
        reader.fieldnames = header
        for row in reader:
            values = {key: (value or "").strip() for key, value in row.items() if key is not None}
            yield RawRow(source=path, line=reader.line_num, values=values)
