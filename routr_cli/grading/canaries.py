"""Canary tests: make in-process forging of test results visible (docs/threat-model.md).

The code under test runs inside the test process, so it can rewrite outcomes there
(patch pytest's report objects, stub ``assert``, print fake ``--- PASS`` lines from a
Go ``TestMain``). Nothing outside the process can prevent that; canaries detect it.
Each grading adds, to every test process, two tests with fresh random names:

- one that must FAIL, through the language's ordinary assertion (a forger that turns
  failures into passes turns this one too), and
- one that must PASS and put this grading's random nonce into the report through the
  runner's own channel (pytest's ``record_property``, Node's ``t.diagnostic``, Go's
  ``t.Log``: code that silences stdout does not remove it), so a report fabricated
  without running the tests lacks it.

:func:`check` reads the report for them. Their results never count: the grader drops
them before scoring (:func:`is_canary`). Python runs every test in one pytest process,
so one file is enough; Node runs each test file in its own process, so each hidden
test file gets the pair appended; Go builds one test binary per package, so each
package folder with hidden tests gets a file of its own, in that package.
"""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from routr_cli.grading.model import TestOutcome

RunnerKind = Literal["pytest", "node", "go"]
TESTS_DIR = "tests"
# Files `node --test` runs (Node 20's default patterns: *.test.js, *-test.js, *_test.js,
# test-*.js, test.js, anything under a test/ folder; .cjs and .mjs alike).
_NODE_TEST_FILE = re.compile(
    r"(^|/)(test|test-[^/]*|[^/]*[._-]test)\.[cm]?js$|(^|/)test/(.*/)?[^/]*\.[cm]?js$"
)
_GO_PACKAGE = re.compile(r"^package\s+([A-Za-z_]\w*)", re.MULTILINE)
_GO_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class Canaries:
    """One grading's canaries: their names, the nonce and the files that carry them."""

    must_pass: str
    must_fail: str
    nonce: str
    files: dict[str, str]  # grading-file path -> full text (added, or a test file + pair)
    copies: int  # how many test processes carry a pair: the report must hold each
    hide: frozenset[str] = frozenset()  # tokens of output lines that are about canaries

    @property
    def names(self) -> frozenset[str]:
        return frozenset((self.must_pass, self.must_fail))


@dataclass(frozen=True)
class CanaryCheck:
    """What the report says about the canaries: ``tampered`` is a contradiction, ``lost``
    means some never reported (a crash or a forgery: the grader decides which)."""

    tampered: str = ""  # one line, empty when there is no contradiction
    lost: str = ""  # one line, empty when every pair reported as it must


def _token(nbytes: int = 5) -> str:
    return secrets.token_hex(nbytes)


def make(kind: RunnerKind, hidden_tests: dict[str, str]) -> Canaries | None:
    """Fresh canaries for a run of ``hidden_tests`` (paths relative to ``tests/``).

    None when the runner has no place for them (no test file Node would run, no Go
    package with tests): such a run reports no graded test either.
    """
    nonce = _token(16)
    if kind == "pytest":
        passing, failing = f"test_{_token()}", f"test_{_token()}"
        a, b = secrets.randbelow(10**6), 10**6 + secrets.randbelow(10**6)
        text = (
            f"def {passing}(record_property):\n"
            f"    record_property({_token()!r}, {nonce!r})\n\n\n"
            f"def {failing}():\n"
            f"    assert {a} == {b}\n"
        )
        module = f"test_{_token()}"
        files = {f"{TESTS_DIR}/{module}.py": text}
        hide = frozenset((passing, failing, nonce, module, str(a), str(b)))
        return Canaries(passing, failing, nonce, files, 1, hide)
    if kind == "node":
        return _node(hidden_tests, nonce)
    return _go(hidden_tests, nonce)


def _node(hidden_tests: dict[str, str], nonce: str) -> Canaries | None:
    passing, failing = f"{_token()} {_token()}", f"{_token()} {_token()}"
    a, b = secrets.randbelow(10**6), 10**6 + secrets.randbelow(10**6)
    # import() works in ES modules and CommonJS alike; tests registered from it still run.
    pair = (
        "\n;import('node:test').then(({ test }) => {\n"
        f"  test({passing!r}, (t) => {{ t.diagnostic({nonce!r}); }});\n"
        f"  test({failing!r}, async () => {{\n"
        f"    (await import('node:assert/strict')).default.equal({a}, {b});\n"
        "  });\n"
        "});\n"
    )
    files: dict[str, str] = {}
    hide = {passing, failing, nonce, str(a), str(b)}
    for rel, text in sorted(hidden_tests.items()):
        if _NODE_TEST_FILE.search(rel) and "node_modules/" not in rel:
            path = f"{TESTS_DIR}/{rel}"
            files[path] = text + pair
            # Node names a failure by file:line:column; these lines are the pair's.
            first = text.count("\n") + 1
            hide.update(f"{path}:{line}:" for line in range(first, first + pair.count("\n") + 1))
    if not files:
        return None
    return Canaries(passing, failing, nonce, files, len(files), frozenset(hide))


def _go(hidden_tests: dict[str, str], nonce: str) -> Canaries | None:
    passing, failing = f"Test{_token().capitalize()}", f"Test{_token().capitalize()}"
    packages: dict[str, str] = {}
    for rel, text in sorted(hidden_tests.items()):
        folder = str(PurePosixPath(rel).parent)
        if rel.endswith("_test.go") and folder not in packages:
            match = _GO_PACKAGE.search(_GO_COMMENTS.sub("", text))
            if match:
                packages[folder] = match.group(1)
    files = {}
    stem, message = f"z{_token()}", _token()
    for folder, package in packages.items():
        path = PurePosixPath(TESTS_DIR, folder, f"{stem}_test.go").as_posix()
        files[path] = (
            f"package {package}\n\n"
            'import "testing"\n\n'
            f"func {passing}(t *testing.T) {{ t.Log({_go_str(nonce)}) }}\n\n"
            f"func {failing}(t *testing.T) {{ t.Fatal({_go_str(message)}) }}\n"
        )
    if not files:
        return None
    hide = frozenset((passing, failing, nonce, stem, message))
    return Canaries(passing, failing, nonce, files, len(files), hide)


def _go_str(text: str) -> str:
    return '"' + text + '"'  # hex tokens only: nothing to escape


def is_canary(test: TestOutcome, canaries: Canaries | None) -> bool:
    """Is this report entry one of the canaries (dropped before scoring)?"""
    return canaries is not None and test.id.rsplit("::", 1)[-1] in canaries.names


def hide_lines(output: str, canaries: Canaries | None) -> str:
    """``output`` without the lines about canaries, and pytest's and Node's totals
    without them: a repair turn must not see them, and an honest run must not read
    "1 failed" because of one."""
    if canaries is None or not canaries.hide:
        return output
    kept: list[str] = []
    dropping: tuple[str, int] | None = None  # ("section", 0) or ("indent", depth)
    go = _GoPackage()
    for line in output.split("\n"):
        depth = len(line) - len(line.lstrip())
        if dropping is not None:
            kind, level = dropping
            if kind == "section" and not _SECTION_END.match(line):
                continue
            if kind == "indent" and (not line.strip() or depth > level):
                continue
            dropping = None
        if any(token in line for token in canaries.hide):
            # What follows belongs to it: a pytest failure section, an indented block.
            dropping = ("section", 0) if _SECTION.match(line) else ("indent", depth)
            go.canary_failed |= line.strip().startswith("--- FAIL")
            continue
        kept.append(go.verdict(_uncount(line, canaries.copies)))
    return "\n".join(kept)


_GO_SUMMARY = re.compile(r"^FAIL\t(\S+)\t([\d.]+s)$")
_GO_TROUBLE = ("--- FAIL", "panic:", "exit status", "FAIL\t", "test timed out", "[build failed]")


class _GoPackage:
    """go test's per-package verdict lines, without the canary's failure: a package whose
    only failing test was the canary reads PASS / ok, as the run it really was."""

    def __init__(self) -> None:
        self.canary_failed = False
        self.trouble = False

    def verdict(self, line: str) -> str:
        text = line.strip()
        summary = _GO_SUMMARY.match(line)
        honest = self.canary_failed and not self.trouble
        if summary or line.startswith(("ok  \t", "?   \t")):
            self.canary_failed = self.trouble = False
            return f"ok  \t{summary.group(1)}\t{summary.group(2)}" if summary and honest else line
        if text == "FAIL":
            return "PASS" if honest else line
        self.trouble |= text.startswith(_GO_TROUBLE) or "[build failed]" in text
        return line


_SECTION = re.compile(r"^_{3,} .* _{3,}$")  # pytest's "____ test_name ____"
_SECTION_END = re.compile(r"^(_{3,}|={3,}|-{3,}) ")


_PYTEST_TOTALS = re.compile(r"\d+ (passed|failed)\b.* in [\d.]+s")
_PYTEST_COUNT = re.compile(r"\b(\d+) (passed|failed)\b")
_NODE_COUNT = re.compile(r"^(\S+ )(tests|pass|fail)( )(\d+)$")


def _uncount(line: str, copies: int) -> str:
    """A totals line with the canaries taken out (each copy: one pass, one fail)."""
    if _PYTEST_TOTALS.search(line):
        line = _PYTEST_COUNT.sub(lambda m: _minus(m.group(1), copies) + " " + m.group(2), line)
        return re.sub(r"\b0 failed, |, 0 passed\b", "", line)
    node = _NODE_COUNT.match(line)
    if node:
        kind, count = node.group(2), node.group(4)
        return node.group(1) + kind + " " + _minus(count, copies * (2 if kind == "tests" else 1))
    return line


def _minus(count: str, less: int) -> str:
    value = int(count) - less
    return str(value) if value >= 0 else count


def check(report: str | None, tests: list[TestOutcome], canaries: Canaries) -> CanaryCheck:
    """Compare the report with what the canaries must show (pure)."""
    evidence = dict(_nonce_evidence(report, canaries)) if report else {}
    fails = [t for t in tests if t.id.rsplit("::", 1)[-1] == canaries.must_fail]
    passes = [t for t in tests if t.id.rsplit("::", 1)[-1] == canaries.must_pass]
    if any(t.outcome == "passed" for t in fails):
        return CanaryCheck(tampered="a canary test that must fail was reported as passing")
    for test in passes:
        if test.outcome == "passed" and not evidence.get(test.id, False):
            return CanaryCheck(tampered="a canary test was reported passing without its nonce")
    lost = []
    if len(fails) < canaries.copies or len(passes) < canaries.copies:
        lost.append("canary tests missing from the report")
    if any(t.outcome != "passed" for t in passes):
        lost.append("a canary test that must pass did not")
    if any(t.outcome == "skipped" for t in fails):  # an honest autouse skip can do this
        lost.append("a canary test that must fail was skipped")
    return CanaryCheck(lost="; ".join(lost))


def _nonce_evidence(report: str, canaries: Canaries) -> Iterator[tuple[str, bool]]:
    """(test id, nonce shown) for each must-pass canary case: in the case itself or in
    its suite's own <system-out> (Node keeps a test file's output per file)."""
    if "<!DOCTYPE" in report or "<!ENTITY" in report:
        return
    try:
        root = ET.fromstring(report)
    except (ET.ParseError, ValueError):
        return
    for suite in root.iter():
        suite_out = "".join(
            "".join(child.itertext()) for child in suite if child.tag == "system-out"
        )
        for case in suite:
            if case.tag != "testcase" or case.get("name", "").strip() != canaries.must_pass:
                continue
            classname = (case.get("classname") or "").strip()
            name = canaries.must_pass
            case_id = f"{classname}::{name}" if classname else name
            shown = canaries.nonce in _all_text(case) or canaries.nonce in suite_out
            yield case_id, shown


def _all_text(element: ET.Element) -> str:
    """Every attribute value and text inside ``element`` (pytest puts the nonce in a
    <property value=...>, Go in <system-out>)."""
    parts = list(element.itertext())
    for child in element.iter():
        parts.extend(child.attrib.values())
    return "\n".join(parts)
