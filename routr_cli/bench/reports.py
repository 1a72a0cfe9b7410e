"""What a bench run hands back to people and CI: a summary, ``--json`` and ``--junit``.

All three describe the *work the command asked for* (every attempt key in its shard),
whichever run recorded each attempt, so re-running a finished command after a resume
reports the same figures and ``--fail-under`` is stable in CI.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts, pass rate and cost, overall and per model.

    Unlike ``routr rank``, ``pass_rate`` here counts provider errors as unsolved: it is
    what ``--fail-under`` gates on, and a CI check must not pass because the vendor was
    down. ``cost_usd`` sums the known costs only (an unpriced model adds nothing).
    """

    def block(items: list[dict[str, Any]]) -> dict[str, Any]:
        solved = sum(1 for r in items if r["solved"])
        costs = [r["cost_usd"] for r in items if r["cost_usd"] is not None]
        return {
            "attempts": len(items),
            "solved": solved,
            "pass_rate": solved / len(items) if items else None,
            "provider_errors": sum(1 for r in items if r["status"] == "provider_error"),
            "cost_usd": round(sum(costs), 6),
            "cached_attempts": sum(1 for r in items if r["cached_responses"]),
        }

    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_model[row["model"]].append(row)
    return {
        **block(rows),
        "models": {name: block(items) for name, items in sorted(by_model.items())},
    }


def write_json(
    path: Path | None, rows: list[dict[str, Any]], summary: dict[str, Any], run_id: str
) -> None:
    """The report as JSON at ``path`` (None: standard output)."""
    doc = {"run_id": run_id, "summary": summary, "attempts": rows}
    text = json.dumps(doc, indent=2, default=str) + "\n"
    if path is None:
        sys.stdout.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def junit_tree(rows: list[dict[str, Any]]) -> ET.ElementTree[ET.Element]:
    """One testcase per attempt: classname = model, name = task id/epoch."""
    failures = sum(1 for r in rows if not r["solved"] and r["status"] != "provider_error")
    errors = sum(1 for r in rows if r["status"] == "provider_error")
    total_time = sum(r["latency_s"] + r["grade_duration_s"] for r in rows)
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="routr bench",
        tests=str(len(rows)),
        failures=str(failures),
        errors=str(errors),
        time=f"{total_time:.3f}",
    )
    for row in rows:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=row["model"],
            name=f"{row['task_id']}/{row['epoch']}",
            time=f"{row['latency_s'] + row['grade_duration_s']:.3f}",
        )
        if row["solved"]:
            continue
        reason = row["reason"] or row["status"]
        detail = row["error_message"] or f"score {row['score']:.2f}"
        tag = "error" if row["status"] == "provider_error" else "failure"
        node = ET.SubElement(case, tag, message=f"{row['status']}: {reason}", type=row["status"])
        node.text = detail
    ET.indent(suites)
    return ET.ElementTree(suites)


def write_junit(path: Path | None, rows: list[dict[str, Any]]) -> None:
    """The JUnit XML at ``path`` (None: standard output)."""
    if path is None:
        junit_tree(rows).write(sys.stdout, encoding="unicode", xml_declaration=True)
        sys.stdout.write("\n")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_tree(rows).write(path, encoding="utf-8", xml_declaration=True)
