"""What the store keeps of an attempt's integrity: scan hits, suspect, unvalidated."""

from __future__ import annotations

from routr_cli.bench.cache import CacheStats
from routr_cli.bench.keys import WorkItem
from routr_cli.bench.records import build_attempt
from routr_cli.grading.model import Grade
from routr_cli.grading.scan import ScanHit
from routr_cli.paths import PROJECT_ROOT
from routr_cli.solvers.base import SolveResult
from routr_cli.tasks.load import load_task

TASK = load_task(PROJECT_ROOT / "tests" / "fixtures" / "good_tasks" / "good-py-median")


def _record(result: SolveResult, unvalidated: bool = False) -> dict[str, object]:
    item = WorkItem(task=TASK, model="sim/x", epoch=0, key="k" * 64)
    record = build_attempt(
        item, result, run_id="r", provider="sim", simulated=True, solver="edit",
        solver_params={}, cost_usd=None, stats=CacheStats(), unvalidated=unvalidated,
    )  # fmt: skip
    return {
        "status": record.status, "solved": record.solved, "reason": record.reason,
        "suspect": record.suspect, "hits": record.suspect_hits, "unvalidated": record.unvalidated,
    }  # fmt: skip


def test_a_suspect_attempt_is_recorded_unsolved_with_its_hits() -> None:
    hit = ScanHit("py-at-exit", "pkg/a.py", 2, "import atexit")
    passed = Grade(solved=True, score=1.0)
    record = _record(SolveResult("suspect", grade=passed, suspect_hits=(hit,)))
    assert record == {
        "status": "suspect", "solved": False, "reason": "suspect", "suspect": True,
        "hits": [{"rule": "py-at-exit", "path": "pkg/a.py", "line": 2, "text": "import atexit"}],
        "unvalidated": False,
    }  # fmt: skip
    clean = _record(SolveResult("solved", grade=passed), unvalidated=True)
    assert clean["solved"] and not clean["suspect"] and clean["unvalidated"]
