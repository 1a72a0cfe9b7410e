"""The edit format a model answers in, parsed strictly and applied all-or-nothing.

Three kinds of edit, in any order and number (the grammar below is also what the
model is told in ``system_prompt``):

Search/replace block (after aider)::

    path/to/file.py
    ```python
    <<<<<<< SEARCH
    exact lines of the current file
    =======
    the lines that replace them
    >>>>>>> REPLACE
    ```

The file path is the last non-blank line before ``<<<<<<< SEARCH`` that is not a code
fence (surrounding backticks or ``**`` are stripped); a block that directly follows
another block may leave it out and edits the same file. An empty SEARCH creates a file that
does not exist yet (or fills an existing empty one). Blocks apply in order, each to the
file as the previous blocks left it.

Whole file: a line ``FILE: path`` followed by a fenced block (three or more backticks or
tildes; the block closes at the first line that is exactly the opening fence, so a longer
fence can wrap content that itself contains fences). The file gets exactly that content.

Deletion: a line ``DELETE: path``.

Strictness. A path must be relative and stay inside the repository (no absolute paths,
no ``..``, no backslashes, no empty parts) and be a bare path, not prose (no backtick
inside it, no trailing colon: ``In `a.py`:`` or ``a.py:`` is refused, never guessed at);
a bad path, a block without a path, a missing ``=======`` or ``>>>>>>> REPLACE`` marker,
an unclosed fence or an answer with no edit at all is a :class:`MalformedEdit`. A new
file where a folder is (or under a path that is a file) is unappliable too.
A SEARCH text must occur exactly once in the file:
if it does not occur verbatim, one documented fallback is tried -- the same lines compared
with trailing whitespace removed, which again must match exactly once. Anything else
(no match, several matches, a missing file, deleting a file that is not there) is an
:class:`UnappliableEdit`. Every message names the block number and the file.

Bounds. An answer over ``answer_limit`` (1 MiB, or twice the repository for a large
one), with more than ``MAX_EDITS`` edits, or that is not valid Unicode is refused up front
as a :class:`MalformedEdit`; so is a path the sandbox could not write (a name part over
255 bytes, a path over PATH_MAX, control characters: ``sandbox.base.path_problem``).
Parsing and applying are linear in the answer's size for a given repository.

This module is pure (no I/O) so the simulated models can speak the same format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from routr_cli.sandbox.base import path_problem, shown_path
from routr_cli.tasks.model import Change

EditFormat = Literal["search-replace", "whole"]
EDIT_FORMATS: tuple[EditFormat, ...] = ("search-replace", "whole")

SEARCH_MARK = "<<<<<<< SEARCH"
DIVIDER_MARK = "======="
REPLACE_MARK = ">>>>>>> REPLACE"
FILE_PREFIX = "FILE:"
DELETE_PREFIX = "DELETE:"
# Bounds on what one answer may cost the host (issue 7: a 32 MiB answer was accepted and
# quadratic steps took minutes). A real answer is a few KB and a few dozen edits.
MAX_ANSWER_BYTES = 1024 * 1024
ANSWER_REPO_FACTOR = 2
MAX_EDITS = 5_000
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})[ \t]*[\w+.#-]*\s*$")


class EditError(Exception):
    """Base of the two ways an answer fails before grading; ``kind`` is the attempt status."""

    kind: str = "malformed_edit"


class MalformedEdit(EditError):
    """The answer does not follow the grammar (or names a path outside the repository)."""

    kind = "malformed_edit"


class UnappliableEdit(EditError):
    """The answer parses but does not fit the files (SEARCH not found, file missing...)."""

    kind = "unappliable_edit"


@dataclass(frozen=True)
class SearchReplace:
    path: str
    search: str  # "" for "create this file"
    replace: str
    index: int  # 1-based position among all edits of the answer, for messages


@dataclass(frozen=True)
class WholeFile:
    path: str
    content: str
    index: int


@dataclass(frozen=True)
class DeleteFile:
    path: str
    index: int


Edit = SearchReplace | WholeFile | DeleteFile


def check_path(raw: str, index: int) -> str:
    """A repository-relative POSIX path, or ``MalformedEdit`` naming the problem."""
    path = raw.strip().strip("`*").strip()  # `a.py`, **a.py**, **`a.py`**
    where = f"edit {index}"
    if not path:
        raise MalformedEdit(f"{where}: empty file path")
    if "`" in path or path.endswith(":"):
        raise MalformedEdit(
            f"{where} ({path}): a sentence, not a file path; put the bare path on its own line"
        )
    if "\\" in path:
        raise MalformedEdit(f"{where} ({shown_path(path)}): use '/' separators in file paths")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise MalformedEdit(
            f"{where} ({shown_path(path)}): absolute path; paths are relative to the repository"
        )
    parts = PurePosixPath(path).parts
    if ".." in parts:
        raise MalformedEdit(f"{where} ({shown_path(path)}): '..' leaves the repository")
    clean = [p for p in parts if p != "."]
    if not clean or any(not p.strip() for p in clean):
        raise MalformedEdit(f"{where} ({shown_path(path)}): not a file path")
    problem = path_problem("/".join(clean))  # what the sandbox could not write
    if problem is not None:
        raise MalformedEdit(f"{where}: {problem}")
    return "/".join(clean)


def _is_fence(line: str) -> bool:
    return bool(_FENCE_RE.match(line))


def _path_before(lines: list[str], start: int, index: int, previous: str | None) -> str:
    """The path line of a SEARCH block: last non-blank, non-fence line before ``start``.

    A block that directly follows another block (nothing but blank lines and fences in
    between) may leave the path out: it edits the same file as the block before it.
    """
    for j in range(start - 1, -1, -1):
        text = lines[j].strip()
        if not text or _is_fence(text):
            continue
        if text == REPLACE_MARK and previous is not None:
            return previous
        if text in (REPLACE_MARK, DIVIDER_MARK) or text.startswith(
            (SEARCH_MARK, FILE_PREFIX, DELETE_PREFIX)
        ):
            break
        return check_path(text, index)
    raise MalformedEdit(f"edit {index}: no file path line before {SEARCH_MARK}")


def _read_fenced(lines: list[str], start: int, index: int, path: str) -> tuple[str, int]:
    """Content of the fenced block opening at or after ``start``; returns (text, next line)."""
    j = start
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines) or not _is_fence(lines[j].strip()):
        raise MalformedEdit(
            f"edit {index} ({path}): {FILE_PREFIX} must be followed by a fenced block"
        )
    opening = lines[j].strip()
    fence = opening[0] * (len(opening) - len(opening.lstrip(opening[0])))
    body: list[str] = []
    for k in range(j + 1, len(lines)):
        if lines[k].rstrip() == fence:
            return ("\n".join(body) + "\n") if body else "", k + 1
        body.append(lines[k])
    raise MalformedEdit(f"edit {index} ({path}): fenced block never closed (expected {fence})")


def parse_edits(answer: str) -> list[Edit]:
    """Every edit in ``answer``, in order; ``MalformedEdit`` on the first grammar problem."""
    lines = answer.replace("\r\n", "\n").split("\n")
    edits: list[Edit] = []
    last_block_path: str | None = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        index = len(edits) + 1
        if stripped == SEARCH_MARK:
            path = _path_before(lines, i, index, last_block_path)
            search, replace, i = _read_search_replace(lines, i + 1, index, path)
            edits.append(SearchReplace(path, search, replace, index))
            last_block_path = path
            continue
        if stripped == REPLACE_MARK:
            raise MalformedEdit(f"edit {index}: {REPLACE_MARK} without a {SEARCH_MARK} before it")
        if stripped.startswith(FILE_PREFIX):
            path = check_path(stripped[len(FILE_PREFIX) :], index)
            content, i = _read_fenced(lines, i + 1, index, path)
            edits.append(WholeFile(path, content, index))
            continue
        if stripped.startswith(DELETE_PREFIX):
            path = check_path(stripped[len(DELETE_PREFIX) :], index)
            edits.append(DeleteFile(path, index))
        i += 1
    if not edits:
        raise MalformedEdit(
            f"no edits found: answer with {SEARCH_MARK} blocks, {FILE_PREFIX} blocks "
            f"or {DELETE_PREFIX} lines"
        )
    return edits


def _read_search_replace(
    lines: list[str], start: int, index: int, path: str
) -> tuple[str, str, int]:
    search: list[str] = []
    replace: list[str] = []
    target = search
    for k in range(start, len(lines)):
        marker = lines[k].rstrip()
        if marker == SEARCH_MARK:
            raise MalformedEdit(f"edit {index} ({path}): {SEARCH_MARK} inside an open block")
        if marker == DIVIDER_MARK and target is search:
            target = replace
            continue
        if marker == REPLACE_MARK:
            if target is search:
                raise MalformedEdit(
                    f"edit {index} ({path}): missing {DIVIDER_MARK} before {REPLACE_MARK}"
                )
            return _join(search), _join(replace), k + 1
        target.append(lines[k])
    missing = DIVIDER_MARK if target is search else REPLACE_MARK
    raise MalformedEdit(f"edit {index} ({path}): block ends without {missing}")


def _join(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def _find_line_anchored(text: str, needle: str) -> list[int]:
    """Offsets where ``needle`` occurs starting at a line start, stopping after two.

    Searching ``"\\n" + needle`` in ``"\\n" + text`` finds only line-anchored matches,
    so the cost is one linear scan per hit (never a rescan per unanchored hit).
    """
    found: list[int] = []
    haystack, probe = "\n" + text, "\n" + needle
    at = haystack.find(probe)
    while at != -1 and len(found) < 2:
        found.append(at)
        at = haystack.find(probe, at + 1)
    return found


def _replace_lines_rstripped(text: str, search: str, replace: str) -> str | None:
    """The documented fallback: match whole lines ignoring trailing whitespace, once.

    Linear in the file's size: the right-stripped lines are joined into one string and
    searched with ``str.find`` (line-anchored), instead of comparing a window of lines
    at every line of the file.
    """
    lines = text.splitlines(keepends=True)
    want = [s.rstrip() for s in search.splitlines()]
    have = "\n".join(s.rstrip() for s in lines) + "\n"
    hits = _find_line_anchored(have, "\n".join(want) + "\n")
    if len(hits) != 1:
        return None
    i = have.count("\n", 0, hits[0])  # the line where the match starts
    return "".join(lines[:i]) + replace + "".join(lines[i + len(want) :])


def _apply_search_replace(current: str | None, edit: SearchReplace) -> str:
    where = f"edit {edit.index} ({edit.path})"
    if edit.search == "":
        if current:
            raise UnappliableEdit(
                f"{where}: empty SEARCH only creates a new file, and this file exists; "
                "quote the lines to change"
            )
        return edit.replace
    if current is None:
        raise UnappliableEdit(f"{where}: file does not exist (use an empty SEARCH to create it)")
    text = current if current.endswith("\n") else current + "\n"
    hits = _find_line_anchored(text, edit.search)
    if len(hits) == 1:
        out = text[: hits[0]] + edit.replace + text[hits[0] + len(edit.search) :]
    elif len(hits) > 1:
        raise UnappliableEdit(
            f"{where}: SEARCH text matches more than once; add surrounding lines to make it unique"
        )
    else:
        fallback = _replace_lines_rstripped(text, edit.search, edit.replace)
        if fallback is None:
            first = edit.search.splitlines()[0].strip()[:60] if edit.search.strip() else ""
            raise UnappliableEdit(
                f"{where}: SEARCH text not found exactly once (first line: {first!r}); "
                "copy the lines verbatim from the file"
            )
        out = fallback
    if not current.endswith("\n") and out.endswith("\n"):
        out = out[:-1]  # keep a file without a final newline that way
    return out


class _Layout:
    """Which paths are files and how many files each folder holds, kept up to date as
    edits apply, so checking a new path against folders costs its depth, not the repo's
    size (40,000 blocks took minutes with a scan per edit)."""

    def __init__(self, paths: list[str]) -> None:
        self.files: set[str] = set()
        self.folders: dict[str, int] = {}
        for path in paths:
            self.add(path)

    @staticmethod
    def _parents(path: str) -> list[str]:
        parts = path.split("/")
        return ["/".join(parts[:depth]) for depth in range(1, len(parts))]

    def add(self, path: str) -> None:
        if path in self.files:
            return
        self.files.add(path)
        for folder in self._parents(path):
            self.folders[folder] = self.folders.get(folder, 0) + 1

    def remove(self, path: str) -> None:
        self.files.discard(path)
        for folder in self._parents(path):
            left = self.folders[folder] - 1
            if left:
                self.folders[folder] = left
            else:
                del self.folders[folder]

    def check_new(self, edit: Edit) -> None:
        """A new file must not sit where a folder is, nor under a path that is a file."""
        if edit.path in self.files:
            return
        for prefix in self._parents(edit.path):
            if prefix in self.files:
                raise UnappliableEdit(
                    f"edit {edit.index} ({edit.path}): {prefix!r} is a file, not a folder"
                )
        if edit.path in self.folders:
            raise UnappliableEdit(f"edit {edit.index} ({edit.path}): is a folder, not a file")


def apply_edits(files: dict[str, str], edits: list[Edit]) -> dict[str, str]:
    """The new file map after every edit, or ``UnappliableEdit``; ``files`` is not modified."""
    state: dict[str, str] = dict(files)
    layout = _Layout(list(state))
    for edit in edits:
        if isinstance(edit, DeleteFile):
            if edit.path not in state:
                raise UnappliableEdit(
                    f"edit {edit.index} ({edit.path}): cannot delete, no such file"
                )
            del state[edit.path]
            layout.remove(edit.path)
            continue
        layout.check_new(edit)
        if isinstance(edit, WholeFile):
            state[edit.path] = edit.content
        else:
            state[edit.path] = _apply_search_replace(state.get(edit.path), edit)
        layout.add(edit.path)
    return state


def diff_states(before: dict[str, str], after: dict[str, str]) -> Change:
    """The ``Change`` that turns ``before`` into ``after`` (only differing paths, sorted)."""
    change: Change = {}
    for path in sorted(set(before) | set(after)):
        if path not in after:
            change[path] = None
        elif before.get(path) != after[path]:
            change[path] = after[path]
    return change


def answer_limit(files: dict[str, str]) -> int:
    """The largest answer accepted for a repository: ``MAX_ANSWER_BYTES`` or, for a large
    repository, ``ANSWER_REPO_FACTOR`` times its size (room to rewrite every file)."""
    repo_bytes = sum(len(text.encode("utf-8", "surrogatepass")) for text in files.values())
    return max(MAX_ANSWER_BYTES, ANSWER_REPO_FACTOR * repo_bytes)


def check_answer_size(files: dict[str, str], answer: str) -> None:
    """Refuse an oversized answer before any parsing (``MalformedEdit``), so host-side
    work stays bounded whatever a model sends."""
    limit = answer_limit(files)
    # Characters first: a string of n characters is at least n bytes, at most 4n.
    if len(answer) > limit or len(answer.encode("utf-8", "surrogatepass")) > limit:
        raise MalformedEdit(
            f"the answer is {len(answer.encode('utf-8', 'surrogatepass')):,} bytes, over the "
            f"{limit:,}-byte limit for this task; answer with the edits only"
        )


def apply_answer(files: dict[str, str], answer: str) -> dict[str, str]:
    """Parse ``answer`` and apply it to ``files``: the new state, or an ``EditError``."""
    check_answer_size(files, answer)
    try:
        answer.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: "\\ud800" in the JSON reply
        raise MalformedEdit(
            f"the answer is not valid Unicode (character {exc.start}); no file can hold it"
        ) from exc
    edits = parse_edits(answer)
    if len(edits) > MAX_EDITS:
        raise MalformedEdit(f"{len(edits):,} edits, over the limit of {MAX_EDITS:,} per answer")
    return apply_edits(files, edits)
