"""The dependency direction of docs/architecture.md, checked by reading the imports.

``cli`` -> ``bench`` / ``router`` / ``site`` -> ``solvers`` / ``store`` -> ``ranking`` ->
``providers`` / ``sandbox`` / ``tasks`` / ``grading`` -> ``errors`` / ``paths``. A
package may import from a lower tier, never from a higher one. Siblings in the lowest
working tier (providers, sandbox, tasks, grading) build on each other, and so may the
three consumers (bench, router, site); solvers and store stay apart.
``ranking``, ``site`` and the router's policy are pure: nothing they load, directly or
through what they import, touches Docker, the network or the database.

Imports are read with ``ast`` from the source, so the test sees imports inside functions
(the CLI's lazy ones included) and ignores ``if TYPE_CHECKING:`` blocks, which never run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from routr_cli.paths import PACKAGE_DIR

TIERS = {
    "__main__": 7,
    "cli": 6,
    "bench": 5,
    "router": 5,
    "serve": 5,  # the gateway over the router's core
    "site": 5,
    "solvers": 4,
    "store": 4,  # above ranking: its readers hand back ranking's own types
    "ranking": 3,
    "providers": 2,
    "sandbox": 2,
    "tasks": 2,
    "grading": 2,
    "errors": 1,
    "paths": 1,
    "text": 1,
    "": 1,  # routr_cli/__init__.py: the version
}
SIBLINGS_MAY_IMPORT = {2, 5}  # the tiers whose packages may use each other

# Upward imports the design accepts, each with its reason.
EXCEPTIONS = {
    # The simulated models stand in for a model that read the solver's prompt: they
    # answer in the solvers' edit formats and check their own answers with the parser.
    ("routr_cli.providers.sim.answers", "routr_cli.solvers.edit_format"),
    ("routr_cli.providers.sim.answers", "routr_cli.solvers.edit_render"),
    ("routr_cli.providers.sim.engine", "routr_cli.solvers.edit_format"),
}

PURE = ("routr_cli.ranking", "routr_cli.site", "routr_cli.router.policy")
IMPURE_LIBRARIES = {"docker", "httpx", "duckdb", "requests", "urllib3", "socket", "aiohttp"}
IMPURE_PACKAGES = ("routr_cli.store", "routr_cli.sandbox", "routr_cli.bench", "routr_cli.cli")


@dataclass(frozen=True)
class Import:
    target: str
    line: int
    top_level: bool  # runs when the module is imported (not inside a function)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports_of(path: Path) -> list[Import]:
    module = _module_name(path)
    found: list[Import] = []

    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other, top_level)
                continue
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, child.lineno, top_level) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", child)
                found.append(Import(target, child.lineno, top_level))
                for alias in child.names:  # `from routr_cli.store import read`: a module
                    found.append(Import(f"{target}.{alias.name}", child.lineno, top_level))
            inner = top_level and not isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return found


@cache
def _graph() -> dict[str, list[Import]]:
    graph = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        graph[_module_name(path)] = _imports_of(path)
    return graph


def _known(target: str) -> str | None:
    """The routr_cli module ``target`` names, or None (a library, or a name in a module)."""
    return target if target in _graph() else None


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _violations() -> list[str]:
    problems = []
    for module, imports in _graph().items():
        source = _package(module)
        for imp in imports:
            target = _known(imp.target)
            if target is None:
                continue
            dest = _package(target)
            if dest == source or (module, target) in EXCEPTIONS:
                continue
            mine, theirs = TIERS[source], TIERS[dest]
            if theirs < mine or (theirs == mine and mine in SIBLINGS_MAY_IMPORT):
                continue
            problems.append(f"{module}:{imp.line} imports {target} ({source} may not use {dest})")
    return problems


def test_every_package_has_a_tier() -> None:
    packages = {_package(m) for m in _graph()}
    assert packages <= set(TIERS), f"give these a tier in TIERS: {packages - set(TIERS)}"


def test_dependencies_point_down() -> None:
    assert _violations() == []


def _loaded_by(module: str) -> dict[str, str]:
    """What importing ``module`` and calling its functions loads: every import in it,
    then, through routr_cli modules, what they import at module level (and their parent
    packages' ``__init__``), transitively. Returns {loaded name: the chain that loads it}."""
    chains: dict[str, str] = {}
    todo = [(module, module, True)]
    while todo:
        current, chain, whole = todo.pop()
        parents = [".".join(current.split(".")[:i]) for i in range(2, current.count(".") + 1)]
        for parent in parents:
            if parent not in chains:
                chains[parent] = f"{chain} (package {parent})"
                todo.append((parent, chains[parent], False))
        for imp in _graph().get(current, []):
            if not (whole or imp.top_level):
                continue
            name = _known(imp.target) or imp.target
            if name in chains:
                continue
            chains[name] = f"{chain} -> {name}"
            if name in _graph():
                todo.append((name, chains[name], False))
    return chains


def _pure_modules() -> list[str]:
    return sorted(m for m in _graph() if any(m == p or m.startswith(p + ".") for p in PURE))


@pytest.mark.parametrize("module", _pure_modules())
def test_pure_modules_load_no_docker_network_or_database_code(module: str) -> None:
    bad = []
    for name, chain in _loaded_by(module).items():
        library = name.split(".")[0]
        if library in IMPURE_LIBRARIES or name.startswith(IMPURE_PACKAGES):
            bad.append(chain)
    assert bad == []


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """Controls: an upward import and an impure import are reported."""
    graph = _graph()
    saved = dict(graph)
    try:
        graph["routr_cli.errors"] = [Import("routr_cli.cli.main", 1, True)]
        graph["routr_cli.ranking.leaderboard"] = [
            *saved["routr_cli.ranking.leaderboard"],
            Import("routr_cli.tasks.load", 2, False),
        ]
        graph["routr_cli.tasks.load"] = [*saved["routr_cli.tasks.load"], Import("duckdb", 3, True)]
        assert any("routr_cli.errors:1 imports routr_cli.cli.main" in p for p in _violations())
        chains = _loaded_by("routr_cli.ranking.leaderboard")
        assert "duckdb" in chains and "routr_cli.tasks.load" in chains["duckdb"]
    finally:
        graph.clear()
        graph.update(saved)
