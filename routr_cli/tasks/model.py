"""The in-memory form of a format-v1 task (see task-format.md), and of a change to it.

A ``Change`` maps a repository-relative POSIX path to new file text, or to ``None``
for a deletion. The reference solution, a model's edit and an imported task's gold
answer are all ``Change``s, so grading has one input shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

CATEGORIES = (
    "bugfix",
    "feature",
    "refactor",
    "performance",
    "api-migration",
    "concurrency",
    "data-processing",
    "security",
)
DIFFICULTIES = ("easy", "medium", "hard")
DEFAULT_IMAGE = {"python": "python", "javascript": "node", "go": "go"}
IGNORED_NAMES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", "node_modules", ".git"})
# Placeholder files that only exist to keep an otherwise empty folder in git.
PLACEHOLDER_FILES = frozenset({".gitkeep"})

Change = dict[str, str | None]

# Files whose only job is to configure or hook the test run: a change that adds or edits
# one could make the hidden tests report a pass (a root conftest.py that rewrites
# outcomes, a Go TestMain that exits 0). Grading restores them to repo/'s state, the
# way it replaces tests/. A task adds its own with ``[grade].protected``.
HARNESS_FILES = (
    "conftest.py",
    "pytest.ini",
    "tox.ini",
    "sitecustomize.py",
    "usercustomize.py",
    "*.pth",
    "*_test.go",
)


def is_protected(path: str, patterns: tuple[str, ...]) -> bool:
    """Does ``path`` (repo-relative, POSIX) match a harness pattern? Matched from the right,
    as ``PurePosixPath.match`` does: ``conftest.py`` matches it in any folder."""
    pure = PurePosixPath(path)
    return any(pure.match(pattern) for pattern in patterns)


@dataclass(frozen=True)
class GradeSpec:
    """task.toml's ``[grade]``: how to run the hidden tests and which ones decide."""

    command: str
    timeout_s: int = 120
    fail_to_pass: tuple[str, ...] = ()
    pass_to_pass: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()  # extra harness files; HARNESS_FILES always apply


@dataclass(frozen=True)
class Limits:
    """task.toml's ``[limits]``: what one grading may use; the defaults suit a small repo."""

    cpus: float = 1.0
    memory_mb: int = 1024
    pids: int = 256


@dataclass(frozen=True)
class Task:
    """A loaded task folder. File trees are read on demand, not kept: a suite of 40
    tasks stays cheap to list, and hidden files are only read where they are needed.
    """

    id: str
    title: str
    category: str
    language: str
    difficulty: str
    image: str
    grade: GradeSpec
    path: Path
    tags: tuple[str, ...] = ()
    solution_delete: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    validated_hash: str | None = None  # task.toml's [validated] record (tasks/proof.py)
    # Tasks that share an origin (one exercise in several languages, one benchmark
    # problem): the ranking's bootstrap resamples a family as one unit. None: its own.
    family: str | None = None

    @property
    def proof_problem(self) -> str | None:
        """Why this task is not proven fit to grade (bench refuses it), or None."""
        from routr_cli.tasks.proof import proof_problem

        return proof_problem(self.grade.fail_to_pass, self.validated_hash, self.content_hash)

    @property
    def prompt_path(self) -> Path:
        return self.path / "prompt.md"

    @cached_property
    def prompt(self) -> str:
        return self.prompt_path.read_text(encoding="utf-8")

    def repo_files(self) -> dict[str, str]:
        """The starting repository: what the model sees and may edit."""
        return read_tree(self.path / "repo")

    def test_files(self) -> dict[str, str]:
        """The hidden tests, keyed by path relative to ``tests/`` (never shown to a model)."""
        return read_tree(self.path / "tests")

    def solution_change(self) -> Change:
        """The reference change: solution/ overlays repo/, plus the listed deletions."""
        change: Change = dict(read_tree(self.path / "solution"))
        for rel in self.solution_delete:
            change[rel] = None
        return change

    @cached_property
    def content_hash(self) -> str:
        """Which version of the task a result graded (see ``hashing.task_hash``)."""
        from routr_cli.tasks.hashing import task_hash

        return task_hash(self.path)


def iter_files(root: Path) -> list[Path]:
    """Every file under ``root``, sorted, skipping caches, VCS folders and ``.gitkeep``.

    A symbolic link that leads outside ``root`` is skipped: task folders and imported
    exercise trees come from others, and a link to ``~/.ssh/id_rsa`` would otherwise be
    copied into a task and sent to a model provider with the repository.
    """
    if not root.is_dir():
        return []
    inside = root.resolve()
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not (IGNORED_NAMES & set(p.relative_to(root).parts)):
            if p.suffix == ".pyc" or p.name in PLACEHOLDER_FILES:
                continue
            if inside not in p.resolve().parents:
                continue
            out.append(p)
    return out


def read_tree(root: Path) -> dict[str, str]:
    """Files under ``root`` as {posix relative path: text}, sorted by path."""
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in iter_files(root)
    }


def apply_change(files: dict[str, str], change: Change) -> dict[str, str]:
    """A new file map with ``change`` applied (``None`` deletes)."""
    out = dict(files)
    for rel, text in change.items():
        if text is None:
            out.pop(rel, None)
        else:
            out[rel] = text
    return out
