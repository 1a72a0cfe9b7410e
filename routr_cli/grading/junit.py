"""JUnit XML reports -> ``TestOutcome``s.

pytest (``--junitxml``), node's junit reporter and Routr's go-test-json converter all
write JUnit XML, so this is the one place test results are read. The report is written
inside the sandbox by code the model may have touched, so it is hostile input: a
document type declaration (the door to entity-expansion bombs) or anything that is not
well-formed XML counts as no report at all.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from routr_cli.grading.model import Outcome, TestOutcome

MESSAGE_LIMIT = 2000
_CHILD_OUTCOMES: tuple[tuple[str, Outcome], ...] = (
    ("failure", "failed"),
    ("error", "error"),
    ("skipped", "skipped"),
)


def test_id(classname: str, name: str) -> str:
    """``classname::name``, or ``name`` alone when the class name is empty."""
    return f"{classname}::{name}" if classname else name


def parse_junit(xml_text: str | None) -> list[TestOutcome]:
    """Every ``<testcase>`` of the report, in document order; [] when there is no usable report."""
    if not xml_text or not xml_text.strip():
        return []
    if "<!DOCTYPE" in xml_text or "<!ENTITY" in xml_text:
        return []
    try:
        root = ET.fromstring(xml_text)
    except (ET.ParseError, ValueError):
        return []
    if root.tag not in ("testsuites", "testsuite", "testcase"):
        return []
    return [_outcome(case) for case in root.iter("testcase")]


def _outcome(case: ET.Element) -> TestOutcome:
    classname = (case.get("classname") or "").strip()
    name = (case.get("name") or "").strip()
    outcome: Outcome = "passed"
    message = ""
    for tag, kind in _CHILD_OUTCOMES:
        child = case.find(tag)
        if child is not None:
            outcome = kind
            message = child.get("message") or (child.text or "")
            break
    return TestOutcome(
        id=test_id(classname, name),
        outcome=outcome,
        duration_s=_seconds(case.get("time")),
        message=message.strip()[:MESSAGE_LIMIT],
    )


def _seconds(value: str | None) -> float:
    try:
        seconds = float(value) if value else 0.0
    except ValueError:
        return 0.0
    return seconds if math.isfinite(seconds) and seconds >= 0 else 0.0
