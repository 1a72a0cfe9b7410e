"""Attacks on grading a Python task (pytest), each with its control (see attack_kit)."""

from __future__ import annotations

from attack_kit import FAILURES_RE, Attack

BROKEN = "def add(a, b):\n    return a - b\n\n\ndef negate(a):\n    return -a\n"

FORCE_PASS_PLUGIN = """import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
"""

REWRITE_REPORT = f"""
def _rewrite(path):
    import re
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if "</testsuites>" not in text:
        return False
    forged = re.sub({FAILURES_RE!r}, "", text, flags=re.S)
    if forged != text:
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(forged)
        os.replace(path + ".tmp", path)
    return True
"""

# Waits for the test process to end, then keeps rewriting the report for a few seconds.
DETACHED_FORGER = (
    "import os, sys, time\n"
    + REWRITE_REPORT
    + """
path, watched = sys.argv[1], sys.argv[2]
while os.path.exists("/proc/" + watched):
    time.sleep(0.005)
end = time.time() + 8
while time.time() < end:
    try:
        if _rewrite(path):
            break
    except OSError:
        pass
    time.sleep(0.005)
"""
)

MAIN_SHADOW = (
    "import os, sys\n"
    + REWRITE_REPORT
    + """
sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
for name in [m for m in sys.modules if m == "pytest" or m.startswith("pytest.")]:
    del sys.modules[name]
import pytest

pytest.main(sys.argv[1:])
_rewrite(os.environ["ROUTR_JUNIT"])
raise SystemExit(0)
"""
)

TASK = "py-attack"  # tests/fixtures/attack_tasks/py-attack

ATTACKS = [
    Attack(
        "shadow: pytest.py at the repository root exits 0",
        {"pytest.py": "raise SystemExit(0)\n"},
        stops=("hardened_runner", "listed_tests_rule", "canaries"),
        alone=("hardened_runner", "listed_tests_rule"),
    ),
    Attack(
        "shadow: pytest/__main__.py runs pytest, then rewrites the report",
        {"pytest/__init__.py": "", "pytest/__main__.py": MAIN_SHADOW},
        stops=("hardened_runner", "sealed_report", "canaries"),
        alone=("sealed_report",),
    ),
    Attack(
        "shadow: a *.dist-info entry point autoloads a pytest11 plugin",
        {
            "evil_plugin.py": FORCE_PASS_PLUGIN,
            "evil_plugin-1.0.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: evil-plugin\nVersion: 1.0\n"
            ),
            "evil_plugin-1.0.dist-info/entry_points.txt": "[pytest11]\nevil = evil_plugin\n",
        },
        stops=("hardened_runner", "sealed_report", "canaries"),
    ),
    Attack(
        "config: pyproject.toml addopts loads a plugin",
        {
            "evil_plugin.py": FORCE_PASS_PLUGIN,
            "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "-p evil_plugin"\n',
        },
        stops=("hardened_runner", "sealed_report", "canaries"),
        alone=("hardened_runner",),
    ),
    Attack(
        "config: setup.cfg [tool:pytest] addopts loads a plugin",
        {
            "evil_plugin.py": FORCE_PASS_PLUGIN,
            "setup.cfg": "[tool:pytest]\naddopts = -p evil_plugin\n",
        },
        stops=("hardened_runner", "sealed_report", "canaries"),
    ),
    Attack(
        "config: .pytest.ini addopts loads a plugin",
        {
            "evil_plugin.py": FORCE_PASS_PLUGIN,
            ".pytest.ini": "[pytest]\naddopts = -p evil_plugin\n",
        },
        stops=("hardened_runner", "sealed_report", "canaries"),
    ),
    Attack(
        "after exit: an atexit handler rewrites the report",
        {
            "calc/__init__.py": "import atexit, os\n"
            + REWRITE_REPORT
            + "\natexit.register(_rewrite, os.environ.get('ROUTR_JUNIT', ''))\n\n"
            + BROKEN
        },
        stops=("sealed_report", "canaries"),
        alone=("sealed_report",),
    ),
    Attack(
        "after exit: a detached process rewrites the report",
        {
            "calc/__init__.py": "import os, subprocess, sys\n\n"
            f"FORGER = {DETACHED_FORGER!r}\n"
            "if os.environ.get('ROUTR_JUNIT'):\n"
            "    subprocess.Popen(\n"
            "        [sys.executable, '-c', FORGER, os.environ['ROUTR_JUNIT'], str(os.getpid())],\n"
            "        start_new_session=True, stdin=subprocess.DEVNULL,\n"
            "    )  # stdout and stderr inherited: the run cannot end before the rewrite\n\n"
            + BROKEN
        },
        stops=("sealed_report", "canaries"),
        alone=("sealed_report",),
    ),
    Attack(
        "no report: os._exit(0) when the package is imported",
        {"calc/__init__.py": "import os\n\nos._exit(0)\n"},
        stops=("listed_tests_rule", "canaries"),
        alone=("listed_tests_rule",),
    ),
    Attack(
        "in process: the package patches pytest's report objects",
        {
            "calc/__init__.py": """from _pytest.reports import TestReport

_original = TestReport.from_item_and_call.__func__


def _forged(cls, item, call):
    report = _original(cls, item, call)
    report.outcome = "passed"
    report.longrepr = None
    return report


TestReport.from_item_and_call = classmethod(_forged)

"""
            + BROKEN
        },
        stops=("canaries",),
    ),
]
