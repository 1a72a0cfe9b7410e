"""Split text into lines the way diff tools see them."""

from __future__ import annotations

NO_NEWLINE_MARKER = "\\ No newline at end of file"


def split_lines(text: str) -> list[str]:
    """Lines including their "\\n"; the last one lacks it if the text does."""
    return text.splitlines(keepends=True)


def join_lines(lines: list[str]) -> str:
    return "".join(lines)
