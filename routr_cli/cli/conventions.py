"""CLI conventions applied once, to every command, at start-up.

- Help reads as a person writes it: an option's value is named (``--db PATH``,
  ``--epochs N``, ``--model MODEL``), never a Python type (``<list[str]>``). Applied to the
  whole command tree, so a command added later gets it too.
- Output to a reader that went away (``routr ... | head``) ends quietly and never stops
  work in progress: once stdout's pipe is closed, further output is dropped (stdout is
  pointed at /dev/null), and a running bench goes on recording its attempts.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any, get_args

_NUMBERS = {int: "N", float: "NUMBER"}


def _value_name(param: Any) -> str:
    """``--max-cost`` -> ``MAX_COST``: the option's own name says what the value is."""
    opts = getattr(param, "opts", None) or [param.name or "value"]
    return str(max(opts, key=len)).lstrip("-").replace("-", "_").upper()


def _metavar(param: Any) -> str:
    """The value name for one parameter, from its type (Typer's descriptor) or name."""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        if desc.is_choice:
            return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
        if desc.is_path:
            return "PATH"
        annotation = desc.annotation
        if desc.is_list and get_args(annotation):
            annotation = get_args(annotation)[0]
        if annotation in _NUMBERS:
            return _NUMBERS[annotation]
        if annotation is Path:
            return "PATH"
    if getattr(param, "opts", None) and param.param_type_name == "option":
        return _value_name(param)
    return (param.name or "VALUE").upper()


def _no_type(ctx: Any) -> None:
    return None


def plain_metavars(command: Any) -> None:
    """Give every option and argument without an explicit metavar a plain one.

    Duck-typed: Typer builds its commands on its own copy of Click's classes."""
    for param in command.params:
        if param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
            # Typer prints an argument's Python type after its name ("DB <list[Path]>"):
            # the name is what the reader needs.
            param.display_type_rich = _no_type
        if param.metavar is not None or param.name in ("install_completion", "show_completion"):
            continue
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        param.metavar = _metavar(param)
    for sub in (getattr(command, "commands", None) or {}).values():
        plain_metavars(sub)


def _reader_gone(stream: Any) -> None:
    """Point the stream's file descriptor at /dev/null: later writes, and the flush at
    exit, succeed and go nowhere (no "Exception ignored ... BrokenPipeError")."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


class _GuardedBinary(io.RawIOBase):
    """``sys.stdout.buffer`` with the same guard, for commands writing bytes."""

    def __init__(self, inner: Any, owner: GuardedStdout) -> None:
        super().__init__()
        self._inner = inner
        self._owner = owner

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        if self._owner.gone:
            return size
        try:
            self._inner.write(data)
        except BrokenPipeError:
            self._owner.mark_gone()
        return size

    def flush(self) -> None:
        if not self._owner.gone:
            try:
                self._inner.flush()
            except BrokenPipeError:
                self._owner.mark_gone()

    def fileno(self) -> int:
        return int(self._inner.fileno())


class GuardedStdout(io.TextIOBase):
    """A text stdout that turns a closed pipe into silence instead of an exception."""

    def __init__(self, inner: Any) -> None:
        super().__init__()
        self._inner = inner
        self.gone = False
        self._buffer = _GuardedBinary(inner.buffer, self) if hasattr(inner, "buffer") else None

    def mark_gone(self) -> None:
        self.gone = True
        _reader_gone(self._inner)

    def write(self, text: str) -> int:
        if self.gone:
            return len(text)
        try:
            self._inner.write(text)
        except BrokenPipeError:
            self.mark_gone()
        return len(text)

    def flush(self) -> None:
        if self.gone:
            return
        try:
            self._inner.flush()
        except BrokenPipeError:
            self.mark_gone()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return bool(self._inner.isatty())

    def fileno(self) -> int:
        return int(self._inner.fileno())

    @property
    def buffer(self) -> Any:
        return self._buffer

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(self._inner.encoding)

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._inner.errors  # type: ignore[no-any-return]


def guard_stdout() -> None:
    """Install the guard on ``sys.stdout`` (once)."""
    if not isinstance(sys.stdout, GuardedStdout) and sys.stdout is not None:
        sys.stdout = GuardedStdout(sys.stdout)
