"""Deprecated: subcommand dispatch on top of optparse. Use argparse subparsers.

``dispatch(argv, prog, commands, global_options)`` parses global options, picks
the command named by the first positional argument, parses its options and calls
``handler(global_values, command_values, positional_args)``.
"""

from __future__ import annotations

import optparse
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

warnings.warn(
    "clikit.legacy_opts is deprecated and will be removed; use argparse",
    DeprecationWarning,
    stacklevel=2,
)


class UsageError(Exception):
    pass


class _Parser(optparse.OptionParser):
    def error(self, msg: str) -> Any:  # raise instead of exiting
        raise UsageError(f"{self.get_usage().strip()}\n{self.get_prog_name()}: error: {msg}")

    def exit(self, status: int = 0, msg: str | None = None) -> Any:
        if msg:
            sys.stderr.write(msg)
        raise SystemExit(status)


@dataclass
class Command:
    name: str
    usage: str
    handler: Callable[[Any, Any, list[str]], int]
    options: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)
    min_args: int = 0
    max_args: int | None = None

    def option(self, *flags: str, **kwargs: Any) -> "Command":
        self.options.append((flags, kwargs))
        return self


def dispatch(
    argv: Sequence[str],
    prog: str,
    commands: Sequence[Command],
    global_options: Sequence[tuple[tuple[str, ...], dict[str, Any]]] = (),
    version: str | None = None,
) -> int:
    top = _Parser(prog=prog, usage="%prog [options] COMMAND ...", version=version, add_help_option=True)
    top.disable_interspersed_args()
    for flags, kwargs in global_options:
        top.add_option(*flags, **kwargs)
    by_name = {command.name: command for command in commands}
    try:
        global_values, rest = top.parse_args(list(argv))
        if not rest:
            raise UsageError(f"{top.get_usage().strip()}\n{prog}: error: missing command "
                             f"(choose from {', '.join(by_name)})")
        name, rest = rest[0], rest[1:]
        if name not in by_name:
            raise UsageError(f"{top.get_usage().strip()}\n{prog}: error: unknown command {name!r} "
                             f"(choose from {', '.join(by_name)})")
        command = by_name[name]
        sub = _Parser(prog=f"{prog} {name}", usage=f"{prog} {command.usage}")
        for flags, kwargs in command.options:
            sub.add_option(*flags, **kwargs)
        values, args = sub.parse_args(rest)
        if len(args) < command.min_args or (command.max_args is not None and len(args) > command.max_args):
            raise UsageError(f"{sub.get_usage().strip()}\n{prog} {name}: error: wrong number of arguments")
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    return command.handler(global_values, values, args)
