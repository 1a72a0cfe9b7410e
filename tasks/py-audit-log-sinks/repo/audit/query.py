"""Read back and filter JSON-lines audit files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def filter_records(
    records: list[dict[str, Any]],
    actor: str | None = None,
    action_prefix: str | None = None,
    since: datetime | None = None,
    outcome: str | None = None,
) -> list[dict[str, Any]]:
    out = []
    for record in records:
        if actor is not None and record["actor"] != actor:
            continue
        if action_prefix is not None and not record["action"].startswith(action_prefix):
            continue
        if since is not None and datetime.fromisoformat(record["ts"]) < since:
            continue
        if outcome is not None and record["outcome"] != outcome:
            continue
        out.append(record)
    return out
