import functools
import heapq
import random
import signal
import subprocess
import sys

import pytest

from buildgraph import BuildGraph, CycleError, UnknownTargetError, build_order, load_graph, plan_batches

BUDGET_S = 6  # the reference solution needs well under a second for every test here


class BudgetExceeded(Exception):
    pass


def within_budget(test):
    """Fail the test (cleanly, without a traceback) if it runs longer than BUDGET_S."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        def on_alarm(signum, frame):
            raise BudgetExceeded

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, BUDGET_S)
        timed_out = False
        try:
            test(*args, **kwargs)
        except BudgetExceeded:
            timed_out = True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if timed_out:
            pytest.fail(f"exceeded the {BUDGET_S}s time budget: the algorithm is too slow", pytrace=False)

    return wrapper


def ladder(depth):
    """Two targets per level, each depending on both targets of the level below."""
    graph = BuildGraph()
    graph.add_target("base")
    below = ["base"]
    for level in range(depth):
        names = [f"l{level:03d}/a", f"l{level:03d}/b"]
        for name in names:
            graph.add_target(name, below)
        below = names
    graph.add_target("app", below)
    return graph


def chain(length):
    graph = BuildGraph()
    graph.add_target("gen/0000")
    for i in range(1, length):
        graph.add_target(f"gen/{i:04d}", [f"gen/{i - 1:04d}"])
    return graph


def random_dag(n, seed):
    rng = random.Random(seed)
    graph = BuildGraph()
    names = [f"t{i:05d}" for i in range(n)]
    rng.shuffle(names)  # declaration order differs from alphabetical order
    for i, name in enumerate(names):
        deps = rng.sample(names[:i], min(i, rng.randint(0, 6)))
        graph.add_target(name, deps)
    return graph


def reference_order(graph, needed):
    missing = {t: len(graph.direct_deps(t)) for t in needed}
    users = {}
    for t in needed:
        for d in graph.direct_deps(t):
            users.setdefault(d, []).append(t)
    ready = [t for t, c in missing.items() if c == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        t = heapq.heappop(ready)
        out.append(t)
        for u in users.get(t, []):
            missing[u] -= 1
            if missing[u] == 0:
                heapq.heappush(ready, u)
    return out


@within_budget
def test_dependencies_of_deep_diamond_ladder():
    graph = ladder(45)
    deps = graph.dependencies_of("app")
    assert len(deps) == 91 and "base" in deps
    assert graph.dependents_of("base") == set(graph.targets()) - {"base"}
    assert graph.dependents_of("l044/a") == {"app"}


@within_budget
def test_build_order_and_batches_on_ladder():
    graph = ladder(45)
    order = build_order(graph, ["app"])
    assert order[0] == "base" and order[-1] == "app"
    assert order[1:3] == ["l000/a", "l000/b"]
    batches = plan_batches(graph, ["l030/a"])
    assert len(batches) == 32
    assert batches[0] == ["base"] and batches[-1] == ["l030/a"]
    assert batches[5] == ["l004/a", "l004/b"]


@within_budget
def test_long_generated_chain():
    graph = chain(6000)
    assert len(graph.dependencies_of("gen/5999")) == 5999
    assert graph.dependents_of("gen/0000") == {f"gen/{i:04d}" for i in range(1, 6000)}
    order = build_order(graph, ["gen/5999"])
    assert order == [f"gen/{i:04d}" for i in range(6000)]
    batches = plan_batches(graph)
    assert len(batches) == 6000 and batches[-1] == ["gen/5999"]


@within_budget
def test_large_graph_order_is_exact():
    graph = random_dag(8000, seed=7)
    order = build_order(graph)
    assert order == reference_order(graph, set(graph.targets()))
    goal = order[-1]
    needed = graph.closure([goal])
    assert build_order(graph, [goal]) == reference_order(graph, needed)


@within_budget
def test_large_graph_batches():
    graph = random_dag(8000, seed=11)
    batches = plan_batches(graph)
    assert sum(len(b) for b in batches) == 8000
    level = {t: n for n, batch in enumerate(batches) for t in batch}
    for target in graph.targets():
        deps = graph.direct_deps(target)
        assert level[target] == (1 + max(level[d] for d in deps) if deps else 0)
    assert all(batch == sorted(batch) for batch in batches)


@within_budget
def test_cycle_reported_with_goals():
    graph = load_graph("a: b\nb: c\nc: a d\nd:\ne: a\n")
    with pytest.raises(CycleError) as info:
        build_order(graph, ["e"])
    cycle = info.value.cycle
    assert len(cycle) == 4 and cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}
    with pytest.raises(CycleError):
        plan_batches(graph)


SMALL = """
# the example from the README
app/server: lib/http lib/log
lib/http: lib/log lib/net
lib/net:
lib/log:
tools/lint: lib/log
"""


def test_small_graph_contract():
    graph = load_graph(SMALL)
    assert graph.dependencies_of("app/server") == {"lib/http", "lib/log", "lib/net"}
    assert graph.dependents_of("lib/log") == {"lib/http", "app/server", "tools/lint"}
    assert build_order(graph, ["app/server"]) == ["lib/log", "lib/net", "lib/http", "app/server"]
    assert build_order(graph) == ["lib/log", "lib/net", "lib/http", "app/server", "tools/lint"]
    assert plan_batches(graph) == [["lib/log", "lib/net"], ["lib/http", "tools/lint"], ["app/server"]]


def test_cycle_without_goals_and_unknown_targets():
    with pytest.raises(CycleError) as info:
        build_order(load_graph("x: y\ny: x\nz:\n"))
    assert "x -> y -> x" in str(info.value)
    graph = load_graph("a: missing\n")
    with pytest.raises(UnknownTargetError):
        build_order(graph)
    with pytest.raises(UnknownTargetError):
        load_graph("a:\n").dependencies_of("nope")


def test_cli_prints_batches(tmp_path):
    build = tmp_path / "BUILD"
    build.write_text(SMALL)
    out = subprocess.run(
        [sys.executable, "-m", "buildgraph", str(build), "app/server"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert out.splitlines() == ["lib/log lib/net", "lib/http", "app/server"]
