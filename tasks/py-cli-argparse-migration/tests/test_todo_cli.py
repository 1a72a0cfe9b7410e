import json
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(argv, capsys):
    """Call todo.cli.main with DeprecationWarnings ignored; return (code, out, err)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from todo.cli import main

        code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "todo.json")


def test_add_list_done_remove_flow(db, capsys):
    assert run(["--db", db, "add", "buy", "milk"], capsys) == (0, "added #1\n", "")
    assert run(["--db", db, "-v", "add", "ship", "release", "--priority", "high", "--due", "2024-05-01"], capsys) == (
        0, "added #2 (priority high, due 2024-05-01)\n", "")
    assert run(["--db", db, "add", "-p", "low", "water", "plants"], capsys)[0] == 0
    code, out, _ = run(["--db", db, "list", "--sort", "priority"], capsys)
    assert code == 0
    assert out.splitlines() == ["[ ] #2 !ship release (due 2024-05-01)", "[ ] #1 buy milk", "[ ] #3 ~water plants"]
    assert run(["--db", db, "done", "1"], capsys) == (0, "done #1\n", "")
    assert run(["--db", db, "list"], capsys)[1].splitlines() == ["[ ] #2 !ship release (due 2024-05-01)", "[ ] #3 ~water plants"]
    code, out, _ = run(["--db", db, "-v", "-v", "list", "-a", "--priority", "normal"], capsys)
    assert out.splitlines() == ["[x] #1 buy milk", "1 task(s)"]
    assert run(["--db", db, "remove", "1"], capsys) == (0, "removed #1\n", "")
    stored = json.loads(Path(db).read_text())
    assert [t["id"] for t in stored] == [2, 3]
    assert stored[0] == {"id": 2, "text": "ship release", "priority": "high", "due": "2024-05-01", "done": False}


def test_sort_by_due(db, capsys):
    run(["--db", db, "add", "a", "--due", "2024-06-01"], capsys)
    run(["--db", db, "add", "b"], capsys)
    run(["--db", db, "add", "c", "--due", "2024-01-15"], capsys)
    assert [line.split()[2] for line in run(["--db", db, "list", "--sort", "due"], capsys)[1].splitlines()] == ["#3", "#1", "#2"]


def test_command_failures_exit_1(db, capsys):
    run(["--db", db, "add", "open", "task"], capsys)
    code, out, err = run(["--db", db, "remove", "1"], capsys)
    assert code == 1 and out == "" and "--force" in err
    assert run(["--db", db, "remove", "1", "--force"], capsys)[0] == 0
    code, _, err = run(["--db", db, "done", "7"], capsys)
    assert code == 1 and "no task with id 7" in err
    code, _, err = run(["--db", db, "done", "abc"], capsys)
    assert code == 1 and "no task with id abc" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["add"],
        ["add", "x", "--priority", "urgent"],
        ["add", "x", "--due", "tomorrow"],
        ["list", "--sort", "size"],
        ["list", "extra"],
        ["done"],
        ["done", "1", "2"],
        ["list", "--db", "elsewhere.json"],
    ],
)
def test_usage_errors_exit_2(db, capsys, argv):
    code, out, err = run(["--db", db] + argv, capsys)
    assert code == 2
    assert "usage" in err.lower()
    assert not Path(db).exists()


def test_version_and_help(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == "todo 1.4.0"
    code, out, _ = run(["add", "--help"], capsys)
    assert code == 0 and "--priority" in out and "--due" in out


def test_no_deprecation_warnings(db, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        sys.modules.pop("todo.cli", None)
        sys.modules.pop("clikit.legacy_opts", None)
        from todo.cli import main

        assert main(["--db", db, "add", "x"]) == 0
        assert main(["--db", db, "list"]) == 0
    assert capsys.readouterr().out == "added #1\n[ ] #1 x\n"


def test_runs_without_legacy_helper_or_optparse(tmp_path):
    db = tmp_path / "t.json"
    script = textwrap.dedent(f"""
        import sys, warnings
        sys.path.insert(0, {str(ROOT)!r})
        sys.modules["clikit.legacy_opts"] = None
        sys.modules["optparse"] = None
        warnings.simplefilter("error")
        from todo.cli import main
        codes = [main(["--db", {str(db)!r}, "add", "write", "docs", "-p", "high"]),
                 main(["--db", {str(db)!r}, "list"]),
                 main(["--db", {str(db)!r}, "bogus"])]
        print(codes)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["added #1", "[ ] #1 !write docs", "[0, 0, 2]"]
    assert "usage" in result.stderr.lower()
