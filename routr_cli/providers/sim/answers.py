"""What a simulated model writes: the reference change, or a realistic wrong answer.

Both are written in the solver's edit format by ``solvers.edit_render`` (the simulated
models speak the same grammar real models are asked for). Wrong answers, chosen by a
seeded draw weighted by the model's ``mistakes`` table:

- ``partial``: only the first half of the reference hunks (needs two or more);
- ``syntax_error``: the reference change with a broken line added to its first hunk;
- ``wrong_file``: an edit to a file the reference change does not touch;
- ``malformed``: the reference answer with a marker or closing fence missing;
- ``stale_search``: a SEARCH block quoting a line that is not in the file (search/replace);
- ``unchanged_comment``: the code left as it is, with a comment claiming the fix.

A kind that does not fit the task (e.g. ``partial`` with one hunk) falls to the next
kind in that order, wrapping around; ``unchanged_comment`` fits any non-empty repository.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from routr_cli.providers.sim.catalog import MISTAKE_KINDS
from routr_cli.solvers.edit_format import DIVIDER_MARK, EditFormat
from routr_cli.solvers.edit_render import (
    Hunk,
    change_hunks,
    file_hunks,
    render_change,
    render_hunks,
)

_SLASH_COMMENT = (".js", ".mjs", ".cjs", ".ts", ".go", ".java", ".c", ".h", ".rs", ".cpp")
_OPENERS = (
    "Here is the change.",
    "I found the cause; the edits below fix it.",
    "The fix touches the files below.",
    "This should resolve the issue.",
)


def uniform(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``: the simulated models' only source of chance."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def pick_weighted(u: float, weights: dict[str, float]) -> str:
    """The key whose cumulative weight first exceeds ``u`` times the total (sorted keys)."""
    items = [(k, w) for k, w in sorted(weights.items()) if w > 0]
    if not items:
        return MISTAKE_KINDS[-1]
    total = sum(w for _, w in items)
    acc = 0.0
    for key, weight in items:
        acc += weight
        if u * total < acc:
            return key
    return items[-1][0]


def comment_prefix(path: str) -> str:
    return "//" if path.endswith(_SLASH_COMMENT) else "#"


@dataclass(frozen=True)
class SimAnswer:
    text: str
    correct: bool
    kind: str  # "reference" or a mistake kind


def _opener(u: float) -> str:
    return _OPENERS[int(u * len(_OPENERS)) % len(_OPENERS)]


def _partial(
    hunks: list[Hunk], state: dict[str, str], u: float, fmt: EditFormat
) -> list[Hunk] | None:
    return hunks[: len(hunks) // 2] if len(hunks) >= 2 else None


def _syntax_error(
    hunks: list[Hunk], state: dict[str, str], u: float, fmt: EditFormat
) -> list[Hunk] | None:
    for i, h in enumerate(hunks):
        if h.kind in ("replace", "whole") and h.replace:
            broken = f")( {comment_prefix(h.path)} unfinished edit\n"
            return [*hunks[:i], Hunk(h.path, h.kind, h.search, h.replace + broken), *hunks[i + 1 :]]
    return None


def _wrong_file(
    hunks: list[Hunk], state: dict[str, str], u: float, fmt: EditFormat
) -> list[Hunk] | None:
    touched = {h.path for h in hunks}
    others = [p for p in sorted(state) if p not in touched and not p.startswith("tests/")]
    if not others:
        return None
    path = others[int(u * len(others)) % len(others)]
    old = state[path]
    new = f"{comment_prefix(path)} Handle the reported case here as well.\n" + old
    return file_hunks(path, old, new)


def _stale_search(
    hunks: list[Hunk], state: dict[str, str], u: float, fmt: EditFormat
) -> list[Hunk] | None:
    if fmt != "search-replace":
        return None
    for i, h in enumerate(hunks):
        if h.kind == "replace" and any(c.isalpha() for c in h.search):
            at = next(j for j, c in enumerate(h.search) if c.isalpha())
            stale = h.search[:at] + h.search[at].swapcase() + h.search[at + 1 :]
            return [*hunks[:i], Hunk(h.path, h.kind, stale, h.replace), *hunks[i + 1 :]]
    return None


def _unchanged_comment(
    hunks: list[Hunk], state: dict[str, str], u: float, fmt: EditFormat
) -> list[Hunk] | None:
    path = next((h.path for h in hunks if h.path in state), None)
    if path is None:
        path = next((p for p in sorted(state) if not p.startswith("tests/")), None)
    if path is None:
        return None
    old = state[path]
    new = f"{comment_prefix(path)} Fixed: the reported issue is handled below.\n" + old
    return file_hunks(path, old, new)


def _malform(text: str, fmt: EditFormat) -> str:
    """Drop the first divider (search/replace) or the last closing fence (whole files)."""
    lines = text.split("\n")
    if fmt == "search-replace" and DIVIDER_MARK in lines:
        lines.remove(DIVIDER_MARK)
        return "\n".join(lines)
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("```") and lines[i].strip("`") == "":
            return "\n".join(lines[:i] + lines[i + 1 :])
    return text + "\n<<<<<<< SEARCH\n"


Builder = Callable[[list[Hunk], dict[str, str], float, EditFormat], list[Hunk] | None]
_BUILDERS: dict[str, Builder] = {
    "partial": _partial,
    "syntax_error": _syntax_error,
    "wrong_file": _wrong_file,
    "stale_search": _stale_search,
    "unchanged_comment": _unchanged_comment,
}


def reference_answer(
    state: dict[str, str], target: dict[str, str], fmt: EditFormat, u: float
) -> str:
    """The answer that turns ``state`` into ``target``."""
    return _opener(u) + "\n\n" + render_change(state, target, fmt)


def wrong_answer(
    state: dict[str, str], target: dict[str, str], fmt: EditFormat, kind: str, u: float
) -> SimAnswer:
    """A wrong answer of ``kind`` (or the next kind that fits); see the module docstring."""
    hunks = change_hunks(state, target)
    start = MISTAKE_KINDS.index(kind) if kind in MISTAKE_KINDS else 0
    for step in range(len(MISTAKE_KINDS)):
        candidate = MISTAKE_KINDS[(start + step) % len(MISTAKE_KINDS)]
        if candidate == "malformed":
            if not hunks:
                continue
            text = _malform(render_hunks(hunks, state, fmt), fmt)
            return SimAnswer(_opener(u) + "\n\n" + text, False, candidate)
        chosen = _BUILDERS[candidate](hunks, state, u, fmt)
        if chosen:
            return SimAnswer(
                _opener(u) + "\n\n" + render_hunks(chosen, state, fmt), False, candidate
            )
    return SimAnswer(_opener(u) + "\n\nI could not find anything to change.", False, "no_edit")
