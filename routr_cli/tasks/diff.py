"""A ``Change`` as a unified diff against the files it changes, for people to read.

The store keeps every attempt's change in this form (``routr attempts show``): a diff is
what a reviewer expects, it is far smaller than the whole files, and ``git apply`` /
``patch -p1`` take it back. It is written as git writes it: a ``diff --git`` line per
file, ``new file mode`` / ``deleted file mode`` where it applies, ``a/`` and ``b/``
prefixes, a new file coming from ``/dev/null`` and a deleted one going to it. A change that leaves a file as it was
adds nothing.
"""

from __future__ import annotations

import difflib

from routr_cli.tasks.model import Change

_NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    """Lines with their endings; a last line without one is marked the way diff does."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n" + _NO_NEWLINE
    return lines


def change_diff(original: dict[str, str], change: Change) -> str:
    """The unified diff (3 lines of context) taking ``original`` to ``original`` + ``change``.

    Files are in path order, so the same change always gives the same text.
    """
    parts: list[str] = []
    for path in sorted(change):
        old = original.get(path)
        new = change[path]
        if old == new or (old is None and new is None):
            continue
        before = f"a/{path}" if old is not None else "/dev/null"
        after = f"b/{path}" if new is not None else "/dev/null"
        parts.append(f"diff --git a/{path} b/{path}\n")
        if old is None:
            parts.append("new file mode 100644\n")
        elif new is None:
            parts.append("deleted file mode 100644\n")
        # An empty file created or deleted has no hunks: the header alone says it.
        parts.extend(
            difflib.unified_diff(
                _lines(old or ""), _lines(new or ""), fromfile=before, tofile=after, n=3
            )
        )
    return "".join(parts)
