"""Find hidden text (tests, reference solution) that a task's prompt gives away.

A leak is a run of at least ``min_run`` characters that the prompt shares verbatim
with a hidden file, after collapsing every whitespace run to one space (so a pasted
snippet re-indented or re-wrapped still counts). Text that is also in the visible
repository is not a leak: the model sees ``repo/`` anyway, and the reference solution
mostly repeats it.

The check is linear in the size of the texts: the prompt's ``min_run``-character
windows go into a set (minus those the repository shows), every window of a hidden file
is looked up in it, and consecutive matching prompt windows merge into one maximal
shared run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from routr_cli.tasks.model import Task

DEFAULT_MIN_RUN = 40
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
) -> list[Leak]:
    """Every maximal run of ``min_run``+ characters the prompt shares with a source.

    ``sources`` maps a hidden file's name to its text; ``public`` holds visible text
    (the starting repository) whose windows never count as leaked. Results are sorted
    by prompt position, then source name.
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
    leaks.sort(key=lambda leak: (leak.prompt_offset, leak.source))
    return leaks


def hidden_sources(
    test_files: Mapping[str, str], solution_files: Mapping[str, str]
) -> dict[str, str]:
    """The hidden files of a task, named as they sit in the task folder."""
    named = {f"tests/{rel}": text for rel, text in test_files.items()}
    named.update({f"solution/{rel}": text for rel, text in solution_files.items()})
    return named


def task_leaks(task: Task, min_run: int = DEFAULT_MIN_RUN) -> list[Leak]:
    """Leaks of ``task``'s hidden tests and reference files into its prompt."""
    solution = {rel: text for rel, text in task.solution_change().items() if text is not None}
    return find_leaks(
        task.prompt,
        hidden_sources(task.test_files(), solution),
        min_run=min_run,
        public=task.repo_files(),
    )


def describe_leak(leak: Leak, limit: int = 80) -> str:
    """One line naming the file and quoting (the start of) the shared text."""
    text = leak.text if len(leak.text) <= limit else leak.text[: limit - 3] + "..."
    return f"prompt.md shares {len(leak.text)} characters with {leak.source}: {text!r}"
