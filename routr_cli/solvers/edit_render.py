"""Write a change in the edit format: the inverse of ``edit_format.parse_edits``.

Used to show files to a model and by the simulated models, which answer with a task's
reference change (or a deliberately wrong variant of it) the way a real model would:
search/replace blocks around each changed region, or whole files. Every rendering is
checked by parsing and applying it again; a file whose blocks would not re-apply to
exactly the intended text (a SEARCH that is not unique even with more context, content
that contains an edit marker) is written as a whole file instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from routr_cli.solvers.edit_format import (
    DELETE_PREFIX,
    DIVIDER_MARK,
    FILE_PREFIX,
    REPLACE_MARK,
    SEARCH_MARK,
    EditError,
    EditFormat,
    SearchReplace,
    apply_edits,
)

_CONTEXTS = (2, 5, 12)
_MARKERS = frozenset({SEARCH_MARK, DIVIDER_MARK, REPLACE_MARK})
_LANG_BY_SUFFIX = {
    ".py": "python", ".js": "javascript", ".mjs": "javascript", ".ts": "typescript",
    ".go": "go", ".json": "json", ".toml": "toml", ".md": "markdown", ".sh": "bash",
    ".yaml": "yaml", ".yml": "yaml", ".rs": "rust", ".java": "java", ".c": "c", ".h": "c",
}  # fmt: skip


@dataclass(frozen=True)
class Hunk:
    """One region of a change: a search/replace pair, a whole file, or a deletion."""

    path: str
    kind: str  # "replace" | "whole" | "delete"
    search: str = ""
    replace: str = ""


def language_of(path: str) -> str:
    """The fence info string for ``path`` (empty when unknown)."""
    match = re.search(r"\.[A-Za-z0-9]+$", path)
    return _LANG_BY_SUFFIX.get(match.group(0).lower(), "") if match else ""


def fence_for(content: str) -> str:
    """A backtick fence longer than any backtick run that starts a line of ``content``."""
    longest = max((len(m.group(0)) for m in re.finditer(r"(?m)^`+", content)), default=0)
    return "`" * max(3, longest + 1)


def render_file(path: str, content: str) -> str:
    """A file shown in full: the path line and a fenced block (how repo files are shown)."""
    fence = fence_for(content)
    body = content if content.endswith("\n") or not content else content + "\n"
    return f"{path}\n{fence}{language_of(path)}\n{body}{fence}\n"


def render_whole(path: str, content: str) -> str:
    return f"{FILE_PREFIX} {render_file(path, content)}"


def render_delete(path: str) -> str:
    return f"{DELETE_PREFIX} {path}\n"


def render_search_replace(path: str, search: str, replace: str) -> str:
    return (
        f"{path}\n```{language_of(path)}\n{SEARCH_MARK}\n{search}{DIVIDER_MARK}\n"
        f"{replace}{REPLACE_MARK}\n```\n"
    )


def _has_marker(text: str) -> bool:
    return any(line.rstrip() in _MARKERS for line in text.splitlines())


def _hunks_with_context(path: str, old: str, new: str, context: int) -> list[Hunk]:
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        hunks.append(Hunk(path, "replace", "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    return hunks


def _reapplies(path: str, old: str, new: str, hunks: list[Hunk]) -> bool:
    edits = [SearchReplace(path, h.search, h.replace, n) for n, h in enumerate(hunks, 1)]
    try:
        return apply_edits({path: old}, list(edits)).get(path) == new
    except EditError:
        return False


def file_hunks(path: str, old: str | None, new: str | None) -> list[Hunk]:
    """The hunks that turn ``old`` into ``new`` (``None``: absent), verified to re-apply."""
    if new is None:
        return [Hunk(path, "delete")]
    if old is None or not old.strip():
        if old is None and new and not _has_marker(new) and new.endswith("\n"):
            return [Hunk(path, "replace", "", new)]
        return [Hunk(path, "whole", replace=new)]
    if _has_marker(old) or _has_marker(new) or not old.endswith("\n") or not new.endswith("\n"):
        return [Hunk(path, "whole", replace=new)]
    for context in _CONTEXTS:
        hunks = _hunks_with_context(path, old, new, context)
        if hunks and all(h.search for h in hunks) and _reapplies(path, old, new, hunks):
            return hunks
    return [Hunk(path, "whole", replace=new)]


def change_hunks(before: dict[str, str], after: dict[str, str]) -> list[Hunk]:
    """Every hunk between two repository states, by path then position."""
    hunks: list[Hunk] = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old != new:
            hunks.extend(file_hunks(path, old, new))
    return hunks


def render_hunks(hunks: list[Hunk], before: dict[str, str], fmt: EditFormat) -> str:
    """Answer text for ``hunks`` in ``fmt``; "whole" writes each touched file in full."""
    if fmt == "search-replace":
        parts = []
        for h in hunks:
            if h.kind == "delete":
                parts.append(render_delete(h.path))
            elif h.kind == "whole":
                parts.append(render_whole(h.path, h.replace))
            else:
                parts.append(render_search_replace(h.path, h.search, h.replace))
        return "\n".join(parts)
    state = dict(before)
    order: list[str] = []
    for h in hunks:
        if h.path not in order:
            order.append(h.path)
        if h.kind == "delete":
            state.pop(h.path, None)
        elif h.kind == "whole" or not h.search:
            state[h.path] = h.replace
        else:
            try:  # the same line-anchored match the parser applies
                edit = SearchReplace(h.path, h.search, h.replace, 1)
                state = apply_edits(state, [edit])
            except EditError:  # a deliberately stale hunk: the file keeps its text
                pass
    return "\n".join(render_whole(p, state[p]) if p in state else render_delete(p) for p in order)


def render_change(before: dict[str, str], after: dict[str, str], fmt: EditFormat) -> str:
    """The answer that turns ``before`` into ``after`` in ``fmt``."""
    return render_hunks(change_hunks(before, after), before, fmt)
