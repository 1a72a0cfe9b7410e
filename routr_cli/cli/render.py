"""How the CLI draws data for people: one console rule, tables that fit, plurals.

Every table command goes through here so the conventions hold everywhere:

- Width: ``COLUMNS`` when set (also when piped, so ``COLUMNS=60 routr ... | less`` is 60
  wide), else the terminal's, else (piped) wide enough that rows never wrap.
- Narrow screens: each column has a priority; the lowest-priority columns are dropped
  until the table fits, and a note under it names them. Key columns (the model, the main
  figure) have priority 0 and are never dropped; what still does not fit folds.
- Words: ``plural(1, "task")`` is "1 task", ``plural(2, "task")`` "2 tasks".
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from routr_cli.text import plural

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "Col", "data_console", "err_console", "money", "plural", "print_table", "safe_text", "seconds",
]  # fmt: skip

PIPED_WIDTH = 160  # piped with no COLUMNS: one row per line for every table we draw


def _columns_env() -> int | None:
    value = os.environ.get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def data_width() -> int | None:
    """The width tables are drawn at; None lets rich ask the terminal."""
    env = _columns_env()
    if env is not None:
        return env
    return None if sys.stdout.isatty() else PIPED_WIDTH


def data_console() -> Console:
    """The console for data on stdout (tables); see the module docstring for its width."""
    from rich.console import Console

    return Console(highlight=False, width=data_width())


def err_console() -> Console:
    """The console for notes and progress on stderr, never wrapped mid-line."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


# C0/C1 controls but newline and tab, DEL, and the bidirectional overrides: a model's answer
# or a test's output printed raw could move the cursor, retitle the window, hide text or
# reorder it ("Trojan Source"). Shown as \xNN / \uNNNN instead; --json escapes them anyway.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """``text`` with terminal control characters made visible (``\\x1b``), never obeyed."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match[0])
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)


def money(value: float | None) -> str:
    """USD as people read it: four decimals under a dollar, two above; "-" when unknown."""
    if value is None:
        return "-"
    return f"${value:.4f}" if value < 1 else f"${value:.2f}"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


@dataclass(frozen=True)
class Col:
    """One table column. ``priority`` 0 is a key column, never dropped; higher numbers
    are dropped first when the table does not fit."""

    name: str
    priority: int = 1
    justify: str = "left"
    fold: bool = False  # long free text (a title): folds onto more lines instead of dropping


FOLDED_WIDTH = 24  # what a folding column needs to be worth keeping


def _needed(columns: Sequence[Col], rows: Sequence[Sequence[str]]) -> list[int]:
    widths = [max([len(c.name), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]
    return [min(w, FOLDED_WIDTH) if c.fold else w for w, c in zip(widths, columns, strict=True)]


def _fitted(columns: Sequence[Col], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """Indexes of the columns to keep so the table fits ``width`` (rich's default box:
    each column costs its text plus 3 characters of padding and border, plus 1)."""
    needed = _needed(columns, rows)
    keep = list(range(len(columns)))
    by_drop_order = sorted(
        (i for i, col in enumerate(columns) if col.priority > 0),
        key=lambda i: (-columns[i].priority, -i),
    )
    for index in by_drop_order:
        if sum(needed[i] + 3 for i in keep) + 1 <= width:
            break
        keep.remove(index)
    return keep


def print_table(
    console: Console,
    columns: Sequence[Col],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
) -> list[str]:
    """Draw ``rows`` under ``columns``, dropping low-priority columns that do not fit.

    Returns the names of the columns dropped (also noted under the table).
    """
    from rich.table import Table
    from rich.text import Text

    rows = [[safe_text(cell) for cell in row] for row in rows]
    keep = _fitted(columns, rows, console.width)
    table = Table()
    for i in keep:
        col = columns[i]
        # What does not fit folds onto more lines, never cut: rich narrows the widest
        # column first, so a long model name folds while a key or a figure stays whole.
        table.add_column(
            col.name, justify="right" if col.justify == "right" else "left", overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(row[i]) for i in keep))  # Text: cells are data, never markup
    if title:
        console.print(title, markup=False)
    console.print(table)
    dropped = [col.name for i, col in enumerate(columns) if i not in keep]
    if dropped:
        console.print(
            f"(not shown at {console.width} columns: {', '.join(dropped)}; "
            "widen the window, set COLUMNS, or use --json)",
            markup=False,
        )
    return dropped
