"""Small wording helpers every layer may use (imports nothing from routr_cli)."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 task"``, ``"2 tasks"``, ``"0 tasks"``; ``many`` for irregular plurals.

    Every count a person reads goes through here: "1 tasks" is the kind of slip that
    makes a reader doubt the numbers next to it.
    """
    return f"{count} {word if count == 1 else (many or word + 's')}"
