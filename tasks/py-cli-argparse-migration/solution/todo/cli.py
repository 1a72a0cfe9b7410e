"""Command-line entry point: ``python -m todo.cli``."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from todo import __version__
from todo.commands import SORT_KEYS, cmd_add, cmd_done, cmd_list, cmd_remove
from todo.store import PRIORITIES

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: str) -> str:
    if not _DATE_RE.match(value):
        raise argparse.ArgumentTypeError(f"invalid date {value!r} (expected YYYY-MM-DD)")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="todo")
    parser.add_argument("--db", default="~/.todo.json", help="task file")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    parser.add_argument("--version", action="version", version=f"todo {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    add = commands.add_parser("add", help="add a task")
    add.add_argument("words", nargs="+")
    add.add_argument("-p", "--priority", choices=PRIORITIES, default="normal")
    add.add_argument("--due", type=_date, default=None)
    add.set_defaults(handler=cmd_add)

    listing = commands.add_parser("list", help="list tasks")
    listing.add_argument("-a", "--all", action="store_true")
    listing.add_argument("--sort", choices=list(SORT_KEYS), default="id")
    listing.add_argument("-p", "--priority", choices=PRIORITIES, default=None)
    listing.set_defaults(handler=cmd_list)

    done = commands.add_parser("done", help="mark a task done")
    done.add_argument("id")  # validated by the handler: an unknown id is exit 1, not a usage error
    done.set_defaults(handler=cmd_done)

    remove = commands.add_parser("remove", help="remove a task")
    remove.add_argument("id")
    remove.add_argument("-f", "--force", action="store_true")
    remove.set_defaults(handler=cmd_remove)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        options = build_parser().parse_args(args)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return exc.code if isinstance(exc.code, int) else 0
    return int(options.handler(options))


if __name__ == "__main__":
    raise SystemExit(main())
