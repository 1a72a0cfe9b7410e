"""Turn a solver's ``SolveResult`` into the row the store keeps."""

from __future__ import annotations

from routr_cli.bench.cache import CacheStats
from routr_cli.bench.keys import WorkItem
from routr_cli.sandbox.base import cap_output
from routr_cli.solvers.base import SolveResult
from routr_cli.store.db import utc_now
from routr_cli.store.records import AttemptRecord, AttemptTestRow
from routr_cli.tasks.diff import change_diff

# What one attempt may add to the database for people to read (head and tail kept, the
# cut marked): a model that rewrites a 10 MB file, or a test run that prints forever,
# must not grow the store by as much.
DIFF_CAP = 256 * 1024
GRADE_OUTPUT_CAP = 32 * 1024
TEST_MESSAGE_CAP = 2 * 1024


def build_attempt(
    item: WorkItem,
    result: SolveResult,
    *,
    run_id: str,
    provider: str,
    simulated: bool,
    solver: str,
    solver_params: dict[str, object],
    cost_usd: float | None,
    stats: CacheStats,
    unvalidated: bool = False,
) -> AttemptRecord:
    grade = result.grade
    usage = result.usage
    diff = change_diff(item.task.repo_files(), result.change) if result.change else ""
    return AttemptRecord(
        attempt_key=item.key,
        run_id=run_id,
        task_id=item.task.id,
        task_hash=item.task.content_hash,
        category=item.task.category,
        model=item.model,
        provider=provider,
        simulated=simulated,
        solver=solver,
        solver_params=dict(solver_params),
        epoch=item.epoch,
        status=result.status,
        solved=result.solved,
        score=grade.score if grade is not None else 0.0,
        reason="suspect"
        if result.status == "suspect"
        else (grade.reason if grade is not None else None),
        error_message=result.error or None,
        turns=result.turns,
        first_turn_solved=result.first_turn_solved,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cached_input_tokens=usage.cached_input_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        reasoning_tokens=usage.reasoning_tokens,
        cost_usd=cost_usd,
        provider_cost_usd=result.provider_cost_usd,
        latency_s=result.latency_s,
        grade_duration_s=result.grade_duration_s,
        timed_out=grade.timed_out if grade is not None else False,
        cached_responses=stats.replayed,
        transcript=result.transcript,
        created_at=utc_now(),
        tests=tuple(
            AttemptTestRow(
                t.id, t.outcome, t.duration_s, cap_output(t.message, TEST_MESSAGE_CAP)[0] or None
            )
            for t in (grade.tests if grade else ())
        ),
        new_cache_entries=tuple(stats.new_entries),
        restored_harness=list(grade.restored) if grade is not None else [],
        diff=cap_output(diff, DIFF_CAP)[0],
        grade_output=cap_output(grade.output, GRADE_OUTPUT_CAP)[0] if grade is not None else "",
        suspect=bool(result.suspect_hits),
        suspect_hits=[hit.as_json() for hit in result.suspect_hits],
        unvalidated=unvalidated,
    )
