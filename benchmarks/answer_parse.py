"""Host-side cost of parsing and applying a model's answer, for growing answer sizes.

Issue 7 found the work quadratic: the whitespace-tolerant SEARCH fallback took 55 s on a
600 KB answer and the folder-clash check 149 s on 40,000 blocks. This script times
``apply_answer`` (parse + apply, the host's whole share) on three hostile shapes at
doubling sizes up to the 1 MiB answer limit, and prints seconds and microseconds per KB:
a flat µs/KB column means linear.

- fallback: one SEARCH block of n/2 lines that only matches with trailing whitespace
  ignored, against a file of n identical lines (the old fallback compared a window at
  every line);
- blocks: one new file per block, each in its own folder (the old clash check scanned
  every path per block);
- anchors: a SEARCH text that occurs many times, never at a line start.

Usage: .venv/bin/python benchmarks/answer_parse.py [--max-kb 1024] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable

from routr_cli.solvers.edit_format import EditError, apply_answer

Shape = Callable[[int], tuple[dict[str, str], str]]


def fallback(size: int) -> tuple[dict[str, str], str]:
    lines = max(2, 2 * size // 13)
    files = {"big.py": "value = 1\n" * lines}
    search = "value = 1   \n" * (lines // 2)
    return files, f"big.py\n<<<<<<< SEARCH\n{search}=======\nvalue = 2\n>>>>>>> REPLACE\n"


def blocks(size: int) -> tuple[dict[str, str], str]:
    count = max(1, size // 36)
    answer = "".join(f"FILE: d{i}/f.py\n```\nv = 1\n```\n" for i in range(count))
    return {"main.py": "x = 1\n"}, answer


def anchors(size: int) -> tuple[dict[str, str], str]:
    needle = "x" * max(32, size - 64)
    text = "x" * (2 * len(needle)) + "\n"
    answer = f"big.txt\n<<<<<<< SEARCH\n{needle}\n=======\ny\n>>>>>>> REPLACE\n"
    return {"big.txt": text}, answer


SHAPES: dict[str, Shape] = {"fallback": fallback, "blocks": blocks, "anchors": anchors}


def time_shape(shape: Shape, size: int, repeat: int) -> tuple[int, float]:
    """(answer bytes, best seconds of ``repeat`` runs) for one shape at one size."""
    files, answer = shape(size)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.suppress(EditError):  # a refusal is a result too: the host's work
            apply_answer(files, answer)
        best = min(best, time.perf_counter() - started)
    return len(answer.encode()), best


def sizes(max_kb: int, min_kb: int = 16) -> list[int]:
    out, kb = [], min_kb
    while kb <= max_kb:
        out.append(kb * 1024 - 1024)  # stay under the 1 MiB limit at the top size
        kb *= 2
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=1024)
    parser.add_argument("--min-kb", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'shape':<9} {'answer KB':>10} {'seconds':>9} {'µs/KB':>8}")
    for name, shape in SHAPES.items():
        for size in sizes(args.max_kb, args.min_kb):
            answer_bytes, seconds = time_shape(shape, size, args.repeat)
            per_kb = seconds / (answer_bytes / 1024) * 1e6
            print(f"{name:<9} {answer_bytes / 1024:>10.0f} {seconds:>9.4f} {per_kb:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
