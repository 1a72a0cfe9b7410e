"""Find hidden text (tests, reference solution) that a task's prompt gives away.

A leak is a run of at least ``min_run`` characters that the prompt shares verbatim
with a hidden file, after collapsing every whitespace run to one space (so a pasted
snippet re-indented or re-wrapped still counts). Text that is also in the visible
repository is not a leak: the model sees ``repo/`` anyway, and the reference solution
mostly repeats it.

Shared text is not always a leak: a prompt must state the task's specification, and
the hidden files repeat it (the lyrics a song exercise prints as string literals in its
tests, the expected phrases, the signature the reference declares). A run counts as a
leak only when it carries code of the hidden file: at least ``MIN_CODE`` letters of
identifiers and keywords outside string literals, comments and data keys
(``literals.py`` draws that line), or test structure: an assertion (``assert``,
``expect(``, ``t.Errorf``) or a test's declaration (``def test_``, ``test(``).
So a prompt quoting an assert statement, a test function's name or test code is
refused; one stating lyrics, an expected phrase or an example value is not.

The reference solution must contain what the prompt dictates (signatures, the
exception classes and error messages it asks for), so its declarations are
specification and a run shared with it is a leak from ``MIN_SOLUTION_CODE`` letters
of code on: a stretch of implementation, not one dictated statement.

The check is linear in the size of the texts: the prompt's ``min_run``-character
windows go into a set (minus those the repository shows), every window of a hidden file
is looked up in it, and consecutive matching prompt windows merge into one maximal
shared run. Only the runs found are then located in their file and classified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from routr_cli.tasks.literals import flatten_with_mask, spec_mask
from routr_cli.tasks.model import Task

DEFAULT_MIN_RUN = 40
# Letters of code (outside literals, comments and data keys) that make a run shared with
# a test file a leak: a test's name or test code has more; a call stated as an example
# (`isPangram('...')`) has fewer. A reference must hold what the prompt dictates, so
# a run shared with it needs a stretch of implementation.
MIN_CODE = 12
MIN_SOLUTION_CODE = 40
MAX_OCCURRENCES = 200  # occurrences of one run in its file examined before calling it a leak
# Test code structure: an assertion or a test's declaration, in the code of a test file.
_TEST_STRUCTURE = re.compile(
    r"\bassert\b|\bexpect\s*\(|\bself\.assert\w*\s*\(|\bpytest\.raises\b"
    r"|\bt\.(?:Fatal|Fatalf|Error|Errorf|Run)\b|\b[xf]?(?:test|it|describe)(?:\.\w+)?\s*\("
    r"|\bdef\s+test_|\bfunc\s+Test"
)
MAX_MESSAGE = 300  # characters of the one-line leak summary
QUOTE_LIMIT = 80  # characters quoted of one snippet
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Leak:
    """One run of hidden text found in the prompt."""

    source: str  # name of the hidden file it comes from, e.g. "tests/test_ledger.py"
    text: str  # the shared run, whitespace collapsed, without spaces at its ends
    prompt_offset: int  # where it starts in the whitespace-collapsed prompt


def normalize(text: str) -> str:
    """Collapse every whitespace run to one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def _shared_windows(text: str, size: int, candidates: set[str]) -> set[str]:
    """The ``size``-character windows of ``text`` that are in ``candidates``.

    Only the (small) prompt's windows are ever held in a set; a source's windows are
    streamed through ``set.intersection`` by C-level slicing, never materialised.
    """
    count = len(text) - size + 1
    if count < 1 or not candidates:
        return set()
    return candidates.intersection(
        map(text.__getitem__, map(slice, range(count), range(size, count + size)))
    )


def _carries_code(flat_source: str, mask: bytearray, run: str, enough: int, tests: bool) -> bool:
    """Whether some occurrence of ``run`` holds ``enough`` code letters or test structure.

    After ``MAX_OCCURRENCES`` occurrences that are all specification the run counts as
    a leak: deciding costs time per occurrence, and doubt must never pass a leak.
    """
    markers = [m.start() for m in _TEST_STRUCTURE.finditer(run)] if tests else []
    start = flat_source.find(run)
    for _ in range(MAX_OCCURRENCES):
        if start < 0:
            return False
        spec = mask[start : start + len(run)]
        if any(not spec[offset] for offset in markers):
            return True
        if sum(1 for ch, m in zip(run, spec, strict=True) if not m and ch.isalpha()) >= enough:
            return True
        start = flat_source.find(run, start + 1)
    return start >= 0


class _CodeIndex:
    """One hidden file, flattened with its specification mask: lexed once, asked per run."""

    def __init__(self, name: str, text: str) -> None:
        self.solution = name.startswith("solution/")
        mask = spec_mask(name, text, declarations=self.solution)
        self.flat, self.mask = flatten_with_mask(text, mask)
        self.enough = MIN_SOLUTION_CODE if self.solution else MIN_CODE

    def carries_code(self, run: str) -> bool:
        return _carries_code(self.flat, self.mask, run, self.enough, tests=not self.solution)


def _leak(source: str, flat_prompt: str, start: int, end: int) -> Leak:
    """The run ``flat_prompt[start:end]`` without the spaces at its ends."""
    run = flat_prompt[start:end]
    stripped = run.lstrip()
    return Leak(source, stripped.rstrip(), start + len(run) - len(stripped))


def find_leaks(
    prompt: str,
    sources: Mapping[str, str],
    min_run: int = DEFAULT_MIN_RUN,
    public: Mapping[str, str] | None = None,
    specification: bool = True,
) -> list[Leak]:
    """Every maximal run of ``min_run``+ characters the prompt shares with a source.

    ``sources`` maps a hidden file's name to its text; ``public`` holds visible text
    (the starting repository) whose windows never count as leaked. With
    ``specification`` (the default), runs that are specification text in their file
    (module docstring) are left out. Results are sorted by prompt position, then source.
    """
    if min_run < 1:
        raise ValueError("min_run must be at least 1")
    flat_prompt = normalize(prompt)
    if len(flat_prompt) < min_run:
        return []
    prompt_windows = [flat_prompt[i : i + min_run] for i in range(len(flat_prompt) - min_run + 1)]
    candidates = set(prompt_windows)
    for text in (public or {}).values():
        candidates -= _shared_windows(normalize(text), min_run, candidates)
    leaks: list[Leak] = []
    for name in sorted(sources):
        hidden = _shared_windows(normalize(sources[name]), min_run, candidates)
        if not hidden:
            continue
        start: int | None = None
        for i, window in enumerate(prompt_windows):
            if window in hidden:
                if start is None:
                    start = i
                continue
            if start is not None:
                leaks.append(_leak(name, flat_prompt, start, i - 1 + min_run))
                start = None
        if start is not None:
            leaks.append(_leak(name, flat_prompt, start, len(flat_prompt)))
    if specification:
        indexes = {name: _CodeIndex(name, sources[name]) for name in {x.source for x in leaks}}
        leaks = [leak for leak in leaks if indexes[leak.source].carries_code(leak.text)]
    leaks.sort(key=lambda leak: (leak.prompt_offset, leak.source))
    return leaks


def hidden_sources(
    test_files: Mapping[str, str], solution_files: Mapping[str, str]
) -> dict[str, str]:
    """The hidden files of a task, named as they sit in the task folder."""
    named = {f"tests/{rel}": text for rel, text in test_files.items()}
    named.update({f"solution/{rel}": text for rel, text in solution_files.items()})
    return named


def task_leaks(task: Task, min_run: int = DEFAULT_MIN_RUN, prompt: str | None = None) -> list[Leak]:
    """Leaks of ``task``'s hidden tests and reference files into ``prompt`` (its prompt.md)."""
    solution = {rel: text for rel, text in task.solution_change().items() if text is not None}
    return find_leaks(
        task.prompt if prompt is None else prompt,
        hidden_sources(task.test_files(), solution),
        min_run=min_run,
        public=task.repo_files(),
    )


def describe_leak(leak: Leak, limit: int = 80) -> str:
    """One line naming the file and quoting (the start of) the shared text."""
    text = leak.text if len(leak.text) <= limit else leak.text[: limit - 3] + "..."
    return f"prompt.md shares {len(leak.text)} characters with {leak.source}: {text!r}"


def describe_leaks(leaks: Sequence[Leak], limit: int = MAX_MESSAGE) -> str:
    """One line of at most ``limit`` characters for all of ``leaks``, each snippet once.

    A song's refrain can be shared dozens of times; the reader needs the files and one
    quote of each distinct snippet, longest first, then how many more there are.
    """
    if not leaks:
        return ""
    sources = sorted({leak.source for leak in leaks})
    snippets = sorted({leak.text for leak in leaks}, key=lambda t: (-len(t), t))
    head = f"prompt.md quotes hidden code from {', '.join(sources)}"
    quotes = [repr(t if len(t) <= QUOTE_LIMIT else t[: QUOTE_LIMIT - 3] + "...") for t in snippets]

    def line(shown: int) -> str:
        rest = len(quotes) - shown
        return f"{head}: {', '.join(quotes[:shown])}" + (f" (and {rest} more)" if rest else "")

    shown = 1
    while shown < len(quotes) and len(line(shown + 1)) <= limit:
        shown += 1
    text = line(shown)
    return text if len(text) <= limit else text[: limit - 3] + "..."
