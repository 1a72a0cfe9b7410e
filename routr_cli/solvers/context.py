"""Fit a task's repository into a model's context window, by one stated rule.

Tokens are estimated as ``ceil(chars / 4)``. The budget for repository files is the
context window minus the room kept for the answer, minus the system prompt and the task
prompt, minus a fixed allowance for framing text. When every file fits, every file is
shown. Otherwise files are chosen deterministically:

1. files the task prompt mentions -- by full path, or by file name as a whole word --
   in path order;
2. then the remaining files, smallest first (ties by path);

each is included if it still fits (a large file is skipped, smaller ones after it may
still fit). The paths of the files left out are listed after the shown files, and the
prompt says so, so the model knows they exist (it may replace or delete them by path,
but cannot quote them in a SEARCH block).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from routr_cli.solvers.edit_render import render_file
from routr_cli.text import plural

CHARS_PER_TOKEN = 4
FRAMING_TOKENS = 200  # headings and notes around the files


def estimate_tokens(text: str) -> int:
    """The token estimate used for every budget decision: ``ceil(len(text) / 4)``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class RepoContext:
    """The files chosen for the prompt, the ones left out, and the rendered text."""

    shown: tuple[str, ...]
    omitted: tuple[str, ...]
    text: str
    tokens: int


def mentioned_in(prompt: str, path: str) -> bool:
    """True when ``prompt`` names ``path`` in full, or its file name as a whole word.

    Both are whole-word matches: ``a.py`` is not mentioned by ``data.py``, nor ``core.py``
    by ``core.pyc``. A full path may follow a ``/`` (``./pkg/core.py`` names ``pkg/core.py``).
    """
    if re.search(rf"(?<![\w.-]){re.escape(path)}(?![\w-])", prompt):
        return True
    name = path.rsplit("/", 1)[-1]
    return bool(re.search(rf"(?<![\w./-]){re.escape(name)}(?![\w-])", prompt))


def selection_order(prompt: str, files: dict[str, str]) -> list[str]:
    """The rule's order: mentioned files by path, then the rest smallest first."""
    mentioned = sorted(p for p in files if mentioned_in(prompt, p))
    chosen = set(mentioned)
    rest = sorted((p for p in files if p not in chosen), key=lambda p: (len(files[p]), p))
    return mentioned + rest


def _omitted_note(omitted: list[str]) -> str:
    listing = "".join(f"- {p}\n" for p in omitted)
    return (
        f"\n{plural(len(omitted), 'file')} {'was' if len(omitted) == 1 else 'were'} left out to fit the context window (files the task "
        "mentions first, then smallest first). They exist; you cannot quote them in a SEARCH "
        "block, but you may replace them with FILE: or remove them with DELETE:.\n" + listing
    )


def build_repo_context(prompt: str, files: dict[str, str], budget_tokens: int) -> RepoContext:
    """Render ``files`` within ``budget_tokens`` by the module's rule."""
    rendered = {p: render_file(p, files[p]) for p in files}
    total = sum(estimate_tokens(t) + 1 for t in rendered.values())
    if total <= budget_tokens:
        order = sorted(files)
        text = "\n".join(rendered[p] for p in order)
        return RepoContext(tuple(order), (), text, estimate_tokens(text))
    order = selection_order(prompt, files)
    # Reserve the worst case listing of omitted paths before choosing files.
    remaining = budget_tokens - estimate_tokens(_omitted_note(order))
    shown: list[str] = []
    for path in order:
        cost = estimate_tokens(rendered[path]) + 1
        if cost <= remaining:
            shown.append(path)
            remaining -= cost
    omitted = [p for p in sorted(files) if p not in set(shown)]
    shown.sort()
    text = "\n".join(rendered[p] for p in shown) + (_omitted_note(omitted) if omitted else "")
    return RepoContext(tuple(shown), tuple(omitted), text, estimate_tokens(text))


def files_budget(
    context_window: int, answer_reserve: int, system_prompt: str, task_prompt: str
) -> int:
    """Tokens left for repository files once the fixed parts and the answer are counted."""
    fixed = estimate_tokens(system_prompt) + estimate_tokens(task_prompt) + FRAMING_TOKENS
    return max(0, context_window - answer_reserve - fixed)
