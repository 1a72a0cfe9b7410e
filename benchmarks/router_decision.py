"""How long one routing decision takes in process (issue 11's target: <= 50 µs, median).

Builds a synthetic routing table -- MODELS models x the eight task categories plus "all",
each slice with intervals and tie groups -- and times ``policy.choose`` for each objective
on requests whose dominant category varies, in blocks of BLOCK decisions. Prints the
median and p99 of the per-decision time over the blocks -- CPU time (what a decision
costs; the target applies to it) and wall time (which on a shared, loaded machine adds
the scheduler's delays; the load average is printed) -- and the same for the whole
request path before the call (classification included) when the ranking's classifier is
available. The table is built once, as `routr call` and `routr serve` do.

Usage: .venv/bin/python benchmarks/router_decision.py [--models 8] [--blocks 200] [--block 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from routr_cli.router.features import RequestFeatures
from routr_cli.router.policy import Constraints, ModelInfo, RouteStat, RoutingTable, choose

CATEGORIES = (
    "bugfix", "feature", "refactor", "performance", "api-migration", "concurrency",
    "data-processing", "security",
)  # fmt: skip
TARGET_US = 50.0


def synthetic(models: int) -> tuple[RoutingTable, dict[str, ModelInfo]]:
    infos = {
        f"p{i % 4}/m{i}": ModelInfo(
            f"p{i % 4}/m{i}", f"p{i % 4}", input_per_mtok=0.1 * (i + 1),
            output_per_mtok=0.4 * (i + 1), context_window=32_000 * (1 + i % 4),
        )
        for i in range(models)
    }  # fmt: skip
    slices: dict[str, tuple[RouteStat, ...]] = {}
    for c, category in enumerate(("all", *CATEGORIES)):
        rows = []
        for rank, name in enumerate(sorted(infos, key=lambda n: (hash((n, c)) % 97, n))):
            rate = max(0.05, 0.9 - 0.07 * rank)
            rows.append(
                RouteStat(
                    name, category, False, rate, max(0.0, rate - 0.1), min(1.0, rate + 0.1),
                    40, rank // 2, 0.01 * (rank + 1), 1.0 + rank,
                )
            )  # fmt: skip
        slices[category] = tuple(rows)
    return RoutingTable(slices), infos


def per_decision_us(
    run: Callable[[int], object], blocks: int, block: int
) -> tuple[list[float], list[float]]:
    """Per-decision (CPU, wall) microseconds for each block of ``block`` decisions.

    CPU time is what a decision costs the process; wall time adds whatever the scheduler
    took away on a shared machine (both are printed, with the load average).
    """
    cpu, wall = [], []
    for b in range(blocks):
        started, started_cpu = time.perf_counter(), time.process_time()
        for i in range(block):
            run(b * block + i)
        cpu.append((time.process_time() - started_cpu) / block * 1e6)
        wall.append((time.perf_counter() - started) / block * 1e6)
    return cpu, wall


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def report(label: str, timings: tuple[list[float], list[float]]) -> float:
    cpu, wall = timings
    median = statistics.median(cpu)
    print(
        f"{label:<28} CPU median {median:8.2f} us  p99 {_p99(cpu):8.2f} us   "
        f"wall median {statistics.median(wall):8.2f} us  p99 {_p99(wall):8.2f} us"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=8)
    parser.add_argument("--blocks", type=int, default=200)
    parser.add_argument("--block", type=int, default=200)
    args = parser.parse_args()
    table, infos = synthetic(args.models)
    requests = [
        RequestFeatures({category: 0.7, "bugfix": 0.3} if category != "bugfix" else {category: 1.0},
                        None, 800 + 50 * i, 1024)
        for i, category in enumerate(CATEGORIES)
    ]  # fmt: skip
    constraints = Constraints(max_output_per_mtok=50.0)
    print(f"routing decision, {args.models} models x {len(CATEGORIES) + 1} slices, "
          f"{args.blocks} blocks of {args.block}")  # fmt: skip
    medians = []
    for objective in ("auto", "auto:cheap", "auto:fast"):

        def run(i: int, objective: str = objective) -> object:
            return choose(requests[i % len(requests)], table, infos, constraints, objective)

        medians.append(
            report(f"choose ({objective})", per_decision_us(run, args.blocks, args.block))
        )
    worst = max(medians)
    try:
        from routr_cli.router.features import features_for

        prompts = [[("user", f"Fix the race condition in the worker pool ({i}) with a lock")]
                   for i in range(16)]  # fmt: skip
        features_for(prompts[0])

        def full(i: int) -> object:
            features = features_for(prompts[i % len(prompts)])
            return choose(features, table, infos, constraints, "auto")

        report(
            "classify + choose (auto)",
            per_decision_us(full, max(10, args.blocks // 10), args.block),
        )
    except (ImportError, AttributeError):
        print("classify + choose: the ranking's classifier is not available here")
    verdict = "meets" if worst <= TARGET_US else "MISSES"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"decision time: worst CPU median {worst:.2f} us -- {verdict} the {TARGET_US:g} us "
        f"target (load average {load:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
