"""``change_diff``: the stored form of an attempt's change. Proven by ``git apply``: the
diff taken back onto the original files gives exactly the changed files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from routr_cli.tasks.diff import change_diff
from routr_cli.tasks.model import Change, apply_change

ORIGINAL = {
    "pkg/core.py": "def add(a, b):\n    return a - b\n\n\nVALUE = 1\n",
    "pkg/old.py": "gone = True\n",
    "README.md": "no newline at the end",
    "same.txt": "unchanged\n",
}
CHANGE: Change = {
    "pkg/core.py": "def add(a, b):\n    return a + b\n\n\nVALUE = 1\n",
    "pkg/old.py": None,
    "pkg/new.py": "created = 1\n",
    "README.md": "no newline at the end, still",
    "same.txt": "unchanged\n",
    "empty.txt": "",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _read(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


def test_the_diff_applies_back_to_exactly_the_changed_files(tmp_path: Path) -> None:
    diff = change_diff(ORIGINAL, CHANGE)
    _write(tmp_path, ORIGINAL)
    (tmp_path / "change.diff").write_text(diff, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    applied = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", "change.diff"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert applied.returncode == 0, applied.stderr
    (tmp_path / "change.diff").unlink()
    assert _read(tmp_path) == apply_change(ORIGINAL, CHANGE)


def test_the_diff_reads_as_git_writes_it() -> None:
    diff = change_diff(ORIGINAL, CHANGE)
    assert "--- a/pkg/core.py\n+++ b/pkg/core.py\n" in diff
    assert "-    return a - b\n+    return a + b\n" in diff
    assert "--- a/pkg/old.py\n+++ /dev/null\n" in diff
    assert "--- /dev/null\n+++ b/pkg/new.py\n" in diff
    assert "diff --git a/empty.txt b/empty.txt\nnew file mode 100644\n" in diff
    assert "deleted file mode 100644\n--- a/pkg/old.py" in diff
    assert "\\ No newline at end of file\n" in diff
    assert "same.txt" not in diff  # written back unchanged: not a change
    assert diff.index("README.md") < diff.index("empty.txt") < diff.index("pkg/core.py")


def test_no_change_is_an_empty_diff() -> None:
    assert change_diff(ORIGINAL, {}) == ""
    assert change_diff(ORIGINAL, {"same.txt": "unchanged\n"}) == ""
