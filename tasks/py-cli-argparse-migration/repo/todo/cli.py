"""Command-line entry point: ``python -m todo.cli``."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

from clikit.legacy_opts import Command, dispatch
from todo import __version__
from todo.commands import SORT_KEYS, cmd_add, cmd_done, cmd_list, cmd_remove
from todo.store import PRIORITIES

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_date(option: Any, opt: str, value: str, parser: Any) -> None:
    if not _DATE_RE.match(value):
        parser.error(f"option {opt}: invalid date {value!r} (expected YYYY-MM-DD)")
    setattr(parser.values, option.dest, value)


GLOBAL_OPTIONS = [
    (("--db",), {"default": "~/.todo.json", "help": "task file"}),
    (("-v", "--verbose"), {"action": "count", "default": 0, "help": "more output"}),
]


def build_commands() -> list[Command]:
    add = Command("add", "add WORDS...", cmd_add, min_args=1)
    add.option("-p", "--priority", type="choice", choices=list(PRIORITIES), default="normal")
    add.option("--due", type="string", action="callback", callback=_check_date, default=None)
    listing = Command("list", "list [options]", cmd_list, max_args=0)
    listing.option("-a", "--all", action="store_true", default=False)
    listing.option("--sort", type="choice", choices=list(SORT_KEYS), default="id")
    listing.option("-p", "--priority", type="choice", choices=list(PRIORITIES), default=None)
    done = Command("done", "done ID", cmd_done, min_args=1, max_args=1)
    remove = Command("remove", "remove ID [--force]", cmd_remove, min_args=1, max_args=1)
    remove.option("-f", "--force", action="store_true", default=False)
    return [add, listing, done, remove]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    return dispatch(args, "todo", build_commands(), GLOBAL_OPTIONS, version=f"todo {__version__}")


if __name__ == "__main__":
    raise SystemExit(main())
