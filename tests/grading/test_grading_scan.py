"""The static scan: each rule catches its attack, the look-alike honest code passes, and
no bundled reference solution is flagged (the false-positive measurement)."""

from __future__ import annotations

import pytest

from routr_cli.grading.scan import MAX_HITS, scan_change
from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.load import load_tasks_lenient

LIB = "def total(xs):\n    return sum(xs)\n"

ATTACKS = [
    # (rule, path, added text, 1-based line of the hit)
    ("py-runner-internals", "pkg/__init__.py", "from _pytest.reports import TestReport\n", 1),
    ("py-runner-internals", "pkg/__init__.py", "import pytest\npytest.hookimpl()\n", 1),
    ("py-runner-internals", "pkg/hooks.py", "def pytest_runtest_makereport(item, call):\n", 1),
    ("py-runner-internals", "pkg/m.py", "import sys\nsys.modules['pytest'].main = f\n", 2),
    ("py-forced-exit", "pkg/__init__.py", "import os\nos._exit(0)\n", 2),
    ("py-forced-exit", "pkg/__init__.py", "import sys\nsys.exit(0)\n", 2),
    ("py-forced-exit", "pkg/__init__.py", "raise SystemExit(0)\n", 1),
    ("py-at-exit", "pkg/__init__.py", "import atexit\n", 1),
    ("py-detached-process", "pkg/m.py", "pid = os.fork()\n", 1),
    ("py-detached-process", "pkg/m.py", "subprocess.Popen(cmd, start_new_session=True)\n", 1),
    ("py-detached-process", "pkg/m.py", "os.system('nohup sh -c x &')\n", 1),
    ("py-frame-introspection", "pkg/m.py", "caller = sys._getframe(1)\n", 1),
    ("js-runner-internals", "src/index.js", "import { run } from 'node:test';\n", 1),
    ("js-runner-internals", "src/index.mjs", "const r = require('node:test/reporters');\n", 1),
    ("js-forced-exit", "src/index.mjs", "export const x = 1;\nprocess.exit(0);\n", 2),
    ("js-at-exit", "src/index.mjs", "process.on('exit', () => rewrite());\n", 1),
    ("js-detached-process", "src/index.mjs", "import { spawn } from 'node:child_process';\n", 1),
    ("js-detached-process", "src/index.mjs", "spawn('sh', [], { detached: true });\n", 1),
    ("go-runner-internals", "lib/lib.go", "package lib\nfunc TestMain(m *testing.M) {}\n", 2),
    ("go-runner-internals", "lib/lib.go", 'package lib\nvar _ = flag.Set("test.v", "true")\n', 2),
    ("go-forced-exit", "lib/lib.go", "package lib\nfunc init() { os.Exit(0) }\n", 2),
    ("go-detached-process", "lib/lib.go", "package lib\nvar a = &syscall.SysProcAttr{}\n", 2),
    ("report-path", "pkg/m.py", "path = os.environ['ROUTR_JUNIT']\n", 1),
    ("report-path", "src/a.mjs", "fs.writeFileSync('/tmp/routr-junit.xml', x);\n", 1),
    ("tests-folder", "pkg/m.py", "open('tests/test_core.py').read()\n", 1),
    ("tests-folder", "src/a.mjs", 'const t = fs.readdirSync("/work/tests");\n', 1),
    ("runner-file", "pytest.py", "raise SystemExit(0)\n", 0),
    ("runner-file", "pytest/__main__.py", "x = 1\n", 0),
    ("runner-file", "evil-1.0.dist-info/entry_points.txt", "[pytest11]\nx = y\n", 0),
    ("runner-file", "zz.pth", "import evil\n", 0),
    ("runner-file", "node_modules/node-test/index.js", "x\n", 0),
    ("runner-file", "go.work", "go 1.22\n", 0),
    ("runner-config", "pyproject.toml", "[tool.pytest.ini_options]\naddopts = '-p x'\n", 1),
    ("runner-config", "setup.cfg", "[tool:pytest]\n", 1),
]


@pytest.mark.parametrize(("rule", "path", "text", "line"), ATTACKS)
def test_each_rule_flags_its_attack(rule: str, path: str, text: str, line: int) -> None:
    hits = scan_change({}, {path: text})
    assert (rule, path, line) in {(h.rule, h.path, h.line) for h in hits}, hits


HONEST = [
    ("pkg/pool.py", "threading.Thread(target=run, daemon=True).start()\n"),
    (
        "pkg/cli.py",
        "def main():\n    sys.exit(run())\n\n\nif __name__ == '__main__':\n    main()\n",
    ),
    ("pkg/m.py", "def exit_code(result):\n    return 0 if result else 1\n"),
    ("pkg/m.py", "EXIT_CODES = {'ok': 0}\n"),
    ("bin/tool.mjs", "#!/usr/bin/env node\nif (!args.length) process.exit(2);\n"),
    ("cmd/tool/main.go", "package main\nfunc main() { os.Exit(run()) }\n"),
    ("src/timer.mjs", "const t = setTimeout(f, 10); t.unref();\n"),
    ("pkg/paths.py", "TESTS_DIR_NAME = 'fixtures'\nlatest = 'latest'\n"),
    ("pkg/report.py", "def write_report(path):\n    Path(path).write_text(render())\n"),
    ("README.md", "Run `python -m pytest tests/` to test; see atexit in the docs.\n"),
]


@pytest.mark.parametrize(("path", "text"), HONEST)
def test_honest_look_alikes_are_not_flagged(path: str, text: str) -> None:
    assert scan_change({}, {path: text}) == ()


def test_only_lines_the_change_adds_are_read() -> None:
    original = {"pkg/cli.py": "import atexit\n" + LIB}
    unchanged_hook = {"pkg/cli.py": "import atexit\n" + LIB + "\n\nX = 1\n"}
    assert scan_change(original, unchanged_hook) == ()
    added_hook = {"pkg/cli.py": "import atexit\n" + LIB + "atexit.register(f)\n"}
    (hit,) = scan_change(original, added_hook)
    assert (hit.rule, hit.line, hit.text) == ("py-at-exit", 4, "atexit.register(f)")
    assert scan_change(original, {"pkg/cli.py": None}) == ()  # a deletion forges nothing


def test_hits_are_capped() -> None:
    change = {f"pkg/m{i}.py": "import atexit\n" * 10 for i in range(20)}
    assert len(scan_change({}, change)) == MAX_HITS


def test_no_bundled_reference_solution_is_flagged() -> None:
    tasks, errors = load_tasks_lenient(PROJECT_ROOT / "tasks")
    assert not errors and len(tasks) >= 40
    flagged = {
        task.id: [h.describe() for h in scan_change(task.repo_files(), task.solution_change())]
        for task in tasks
    }
    assert {k: v for k, v in flagged.items() if v} == {}


def test_every_rule_is_documented() -> None:
    from routr_cli.grading.scan import rules_table

    doc = (PROJECT_ROOT / "docs" / "static-scan.md").read_text(encoding="utf-8")
    missing = [rule for rule, _ in rules_table() if f"| `{rule}` |" not in doc]
    assert missing == []
