"""`python -m difftool OLD NEW`: print a unified diff; exit 1 if the files differ."""

from __future__ import annotations

import sys
from pathlib import Path

from difftool.unified import unified_diff


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m difftool OLD NEW", file=sys.stderr)
        return 2
    old_path, new_path = (Path(p) for p in argv)
    diff = unified_diff(
        old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8"),
        str(old_path), str(new_path),
    )
    sys.stdout.write(diff)
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
