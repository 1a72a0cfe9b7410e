"""One ``routr bench`` invocation, start to finish, behind the CLI.

Order matters: everything that can be wrong with the command (flags, task selection,
solver, model names, keys, Docker and its images) fails with one line *before* any
model is called, so a typo never costs money. Then the work is planned, the recorded
part skipped, and the runner does the rest.
"""

from __future__ import annotations

import contextlib
import inspect
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from routr_cli import __version__
from routr_cli.bench.cache import ResponseCache
from routr_cli.bench.estimate import Estimator, plan_by_model, render_plan
from routr_cli.bench.failures import FailureWatch
from routr_cli.bench.keys import Shard, plan_work, sample_tasks, select_work
from routr_cli.bench.reports import summarize
from routr_cli.bench.runner import BenchInterrupted, BenchRunner, RunOutcome, RunTotals
from routr_cli.bench.sandboxes import TrackingBackend
from routr_cli.bench.workers import GradeFn
from routr_cli.errors import ConfigError, StoreError
from routr_cli.grading.model import Grade
from routr_cli.providers.base import Usage
from routr_cli.store.batch import FINAL_LOCK_WAIT_S, SharedWriter, bench_lock
from routr_cli.store.db import Store, utc_now
from routr_cli.store.records import AttemptRecord, RunRecord, TaskSnapshot
from routr_cli.tasks.model import Change, Task
from routr_cli.text import plural


@dataclass(frozen=True)
class BenchOptions:
    models: list[str]
    tasks_dir: Path
    db: Path
    categories: list[str] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)
    solver: str = "edit"
    solver_params: dict[str, Any] = field(default_factory=dict)
    epochs: int = 1
    jobs: int = 4
    max_cost_usd: float | None = None
    seed: int = 0
    use_cache: bool = True
    shard: Shard | None = None
    sample: int | None = None
    retry_errors: bool = True  # resume re-attempts provider errors (--keep-errors: not)
    allow_unvalidated: bool = False  # run tasks without a validation record (flagged)
    sim_latency_scale: float = 1.0
    argv: list[str] = field(default_factory=list)  # scrubbed

    def check(self) -> None:
        if not self.models:
            raise ConfigError(
                "name at least one model: -m provider/model (see `routr models list`)"
            )
        if self.epochs < 1:
            raise ConfigError(f"--epochs {self.epochs}: must be at least 1")
        if self.jobs < 1:
            raise ConfigError(f"--jobs {self.jobs}: must be at least 1")
        if self.max_cost_usd is not None and self.max_cost_usd <= 0:
            raise ConfigError(f"--max-cost {self.max_cost_usd}: must be a positive amount in USD")
        if self.sample is not None and self.sample < 1:
            raise ConfigError(f"--sample {self.sample}: must be at least 1")
        if self.sim_latency_scale < 0:
            raise ConfigError("--sim-latency must be 0 or more (0: answer at once)")

    def config_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("argv")
        data["tasks_dir"] = str(self.tasks_dir)
        data["db"] = str(self.db)
        data["shard"] = f"{self.shard.index}/{self.shard.count}" if self.shard else None
        return data


@dataclass
class BenchReport:
    run_id: str
    outcome: RunOutcome
    planned: int
    in_scope: int  # planned attempts in this shard
    already_recorded: int
    other_shards: int
    rows: list[dict[str, Any]]  # every attempt this command is responsible for
    summary: dict[str, Any]
    pruned_containers: list[str] = field(default_factory=list)


def select_tasks(options: BenchOptions, note: Callable[[str], None]) -> list[Task]:
    """The tasks to run. A malformed folder named with --task is an error; one found
    while scanning the folder is skipped with a warning (a suite being edited should not
    block benching the rest of it)."""
    from routr_cli.tasks.load import load_tasks_lenient

    tasks, errors = load_tasks_lenient(options.tasks_dir, options.task_ids or None)
    if errors and options.task_ids:
        raise errors[0]
    for error in errors:
        note(f"skipping malformed task: {error}")
    if options.categories:
        present = sorted({t.category for t in tasks})
        unknown = [c for c in options.categories if c not in present]
        if unknown:
            raise ConfigError(
                f"--category {unknown[0]!r}: no such category in {options.tasks_dir} "
                f"(present: {', '.join(present)})"
            )
        tasks = [t for t in tasks if t.category in options.categories]
    if not tasks:
        raise ConfigError(f"no tasks selected in {options.tasks_dir}: check --tasks/--task")
    if options.sample is not None and options.sample < len(tasks):
        tasks = sample_tasks(tasks, options.sample, options.seed)
    return tasks


def check_proven(
    tasks: list[Task], options: BenchOptions, note: Callable[[str], None]
) -> frozenset[str]:
    """Refuse tasks not proven fit to grade, before any model call (issue 7: a task with
    no tests, or whose starting code already passes, was "solved" by every model).

    With ``--allow-unvalidated`` they run, and the ids returned flag their attempts.
    """
    unproven = [(t, problem) for t in tasks if (problem := t.proof_problem) is not None]
    if not unproven:
        return frozenset()
    first, why = unproven[0]
    more = f" (and {plural(len(unproven) - 1, 'more task')})" if len(unproven) > 1 else ""
    if not options.allow_unvalidated:
        ids = " ".join(t.id for t, _ in unproven[:5]) + (" ..." if len(unproven) > 5 else "")
        raise ConfigError(
            f"task {first.id} is not proven valid: {why}{more}; run "
            f"`routr tasks validate --write --tasks {options.tasks_dir} {ids}` "
            "(or pass --allow-unvalidated; those attempts are flagged)"
        )
    note(
        f"--allow-unvalidated: {plural(len(unproven), 'task')} not proven valid ({first.id}: {why}); "
        "their attempts are flagged unvalidated"
    )
    return frozenset(t.id for t, _ in unproven)


def snapshot(task: Task) -> TaskSnapshot:
    from routr_cli.tasks.stats import task_facts

    facts = task_facts(task)
    return TaskSnapshot(
        task.content_hash, task.id, task.title, task.category, task.language,
        task.difficulty, facts.files, facts.lines, task.family,
    )  # fmt: skip


@contextlib.contextmanager
def sim_server(options: BenchOptions) -> Iterator[str | None]:
    """Serve the simulated models in-process when any is named; yield the base URL."""
    from routr_cli.providers.sim.catalog import is_simulated

    if not any(is_simulated(m) for m in options.models):
        yield None
        return
    from routr_cli.providers.sim.server import sim_models_served

    with sim_models_served(options.tasks_dir, options.seed, options.sim_latency_scale) as url:
        yield url


def warn_unpriced_models(
    models: list[str], note: Callable[[str], None], max_cost_usd: float | None
) -> None:
    """Warn about models without a price (names are already resolved, so they exist)."""
    from routr_cli.providers.pricing import price_for
    from routr_cli.providers.sim.catalog import is_simulated

    for name in models:
        if not is_simulated(name) and price_for(name) is None:
            limit = " and --max-cost cannot limit it" if max_cost_usd is not None else ""
            note(f"no price known for {name}: its cost is recorded as unknown{limit}")


def effective_solver_params(solver: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The solver's parameters with its defaults filled in: what the attempt key hashes.

    Keying on only the parameters a user typed would make every default-configured run
    hash ``{}``, so a routr release that changes a solver default (the edit format, the
    answer budget) would resume onto attempts made under the old one.
    """
    bound = inspect.signature(type(solver)).bind(**given)
    bound.apply_defaults()
    return dict(bound.arguments)


def check_images(backend: Any, tasks: list[Task]) -> None:
    """Resolve every image the tasks need now: Docker down or an image missing is one line."""
    for image in sorted({t.image for t in tasks}):
        backend.image_tag(image)


def run_bench(
    options: BenchOptions,
    make_progress: Callable[[int], Any],
    note: Callable[[str], None],
    backend: Any | None = None,
) -> BenchReport:
    """Validate, plan, resume, run; ``make_progress(total)`` gives a context-managed sink."""
    import httpx

    from routr_cli.providers.registry import resolve_model
    from routr_cli.solvers import get_solver
    from routr_cli.store import read, write

    options.check()
    tasks = select_tasks(options, note)
    unvalidated = check_proven(tasks, options, note)
    solver = get_solver(options.solver, **options.solver_params)
    solver_params = effective_solver_params(solver, options.solver_params)
    models = list(dict.fromkeys(options.models))  # repeated -m: once
    interrupted = False
    with contextlib.ExitStack() as stack:
        stack.enter_context(sim_server(options))
        client = httpx.Client()

        def close_client() -> None:
            # After Ctrl-C a worker may still be mid-request: closing the client under it
            # would break that call noisily. The process exit closes the connection.
            if not interrupted:
                client.close()

        stack.callback(close_client)
        resolved = {name: resolve_model(name, client) for name in models}
        warn_unpriced_models(models, note, options.max_cost_usd)  # after names resolved
        stack.enter_context(bench_lock(options.db))  # one bench per database
        store = stack.enter_context(Store.open(options.db))  # then the writer's
        items = plan_work(tasks, models, options.epochs, options.solver, solver_params)
        recorded = read.recorded_keys(store, [i.key for i in items])
        check_seed(store, recorded, options.seed)
        kept = recorded
        if options.retry_errors:
            kept = read.recorded_keys(store, [i.key for i in items], except_status="provider_error")
        selection = select_work(items, options.shard, kept)
        retried = len((recorded - kept) & set(selection.keys))
        if selection.other_shards:
            note(f"shard {options.shard}: {len(selection.keys)} of {plural(len(items), 'attempt')}")
        if selection.already_recorded:
            note(
                f"{plural(selection.already_recorded, 'attempt')} already recorded in {options.db}: skipping them"
            )
        if retried:
            note(
                f"{plural(retried, 'attempt')} recorded as provider errors: attempting them again "
                "(--keep-errors keeps them)"
            )
        tracking = TrackingBackend(backend if backend is not None else _docker_backend())
        if selection.todo:
            check_images(tracking.inner, [i.task for i in selection.todo])
        run_id = f"{utc_now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        write.save_snapshots(store, [snapshot(t) for t in tasks])
        write.begin_run(
            store, RunRecord(run_id, utc_now(), options.argv, __version__, options.config_json())
        )
        cache = ResponseCache(
            read.cached_responses(store, models) if options.use_cache else {},
            read=options.use_cache,
        )
        writer = SharedWriter(options.db, store)  # lets readers in when they ask
        runner = BenchRunner(
            writer=writer,
            run_id=run_id,
            models=resolved,
            provider_names={n: m.provider_name for n, m in resolved.items()},
            solver=solver,
            solver_params=solver_params,
            grade=_grader(tracking),
            cost=_cost,
            cache=cache,
            progress=_Silent(),
            jobs=options.jobs,
            max_cost_usd=options.max_cost_usd,
            estimate=Estimator(_cost, getattr(solver, "max_turns", 1)).cost_usd,
            on_cancel=tracking.prune,  # in-flight gradings end at once
            retry_errors=options.retry_errors,
            unvalidated=unvalidated,
            failures=FailureWatch(secret_vars=_secret_vars()),
        )
        status = "failed"
        pruned: list[str] = []
        try:
            with make_progress(len(selection.todo)) as progress:
                runner.progress = progress
                outcome = runner.run(selection.todo)
            status = "budget" if outcome.stop_reason == "budget" else "completed"
            if outcome.configuration_failure:
                status = "failed"  # some models could not run at all
        except BaseException as exc:
            interrupted = isinstance(exc, KeyboardInterrupt | BenchInterrupted)
            status = "interrupted" if interrupted else "failed"
            raise
        finally:
            # After a failure the run's status is best effort: the original error (a
            # full disk, say) is the one to show, not a second one from this update.
            try:
                writer.finish()
                with Store.open(options.db, lock_wait_s=FINAL_LOCK_WAIT_S) as store:
                    write.finish_run(store, run_id, status)
            except StoreError:
                if status not in ("failed", "interrupted"):  # no other error to show
                    raise
            if status != "completed":
                pruned = tracking.prune()
        with Store.open(options.db, read_only=True, lock_wait_s=FINAL_LOCK_WAIT_S) as store:
            rows = read.attempts_for_keys(store, selection.keys)
    return BenchReport(
        run_id=run_id,
        outcome=outcome,
        planned=len(items),
        in_scope=len(selection.keys),
        already_recorded=selection.already_recorded,
        other_shards=selection.other_shards,
        rows=rows,
        summary=summarize(rows),
        pruned_containers=pruned,
    )


def check_seed(store: Store, recorded: set[str], seed: int) -> None:
    """Recorded simulated attempts made with another ``--seed`` are an error, not skipped.

    The attempt key does not hold the seed (real models ignore it), so a run with a new
    seed would find every simulated attempt "already recorded" and report the old
    seed's results as if they were the new one's.
    """
    if not recorded:
        return
    rows = store.con.execute(
        "SELECT a.model, CAST(json_extract(r.config, '$.seed') AS BIGINT) AS seed, count(*) "
        "FROM attempts a JOIN runs r ON r.id = a.run_id "
        "WHERE a.simulated AND a.attempt_key IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY ALL ORDER BY 3 DESC",
        [sorted(recorded)],
    ).fetchall()
    for model, other, count in rows:
        if other is not None and int(other) != seed:
            raise ConfigError(
                f"this database holds {plural(int(count), 'attempt')} of {model} made with "
                f"--seed {other} (this run: --seed {seed}): pass --seed {other} to resume, "
                "or --db OTHER for a run with another seed"
            )


def plan_bench(options: BenchOptions, note: Callable[[str], None]) -> list[str]:
    """``--dry-run``: the plan's lines -- attempts, tokens and cost per model -- after the
    same checks as a real run (tasks, solver, model names, keys), calling nothing,
    starting no sandbox and writing nothing (the database is only read, if it exists)."""
    import httpx

    from routr_cli.providers.registry import resolve_model
    from routr_cli.solvers import get_solver
    from routr_cli.store import read

    options.check()
    tasks = select_tasks(options, note)
    check_proven(tasks, options, note)
    solver = get_solver(options.solver, **options.solver_params)
    solver_params = effective_solver_params(solver, options.solver_params)
    models = list(dict.fromkeys(options.models))
    with httpx.Client() as client:
        for name in models:
            resolve_model(name, client)  # names and keys: no request is made
    items = plan_work(tasks, models, options.epochs, options.solver, solver_params)
    recorded: set[str] = set()
    if Path(options.db).is_file():
        with Store.open(options.db, read_only=True) as store:
            check_seed(store, read.recorded_keys(store, [i.key for i in items]), options.seed)
            recorded = read.recorded_keys(
                store,
                [i.key for i in items],
                except_status="provider_error" if options.retry_errors else None,
            )
    selection = select_work(items, options.shard, recorded)
    estimator = Estimator(_cost, getattr(solver, "max_turns", 1))
    return render_plan(plan_by_model(selection.todo, models, estimator), selection.already_recorded)


class _Silent:
    """The progress sink until the real one is open."""

    def attempt_done(self, record: AttemptRecord, totals: RunTotals) -> None:
        pass

    def note(self, message: str) -> None:
        pass


def _secret_vars() -> tuple[str, ...]:
    """Every provider's key variable (a routr.toml provider may use any name)."""
    from routr_cli.providers.config import load_provider_configs

    return tuple(c.key_env for c in load_provider_configs().values() if c.key_env)


def _grader(tracking: TrackingBackend) -> GradeFn:
    from routr_cli.grading.grader import grade_change

    def grade(task: Task, change: Change) -> Grade:
        # Infrastructure failures raise (the runner stops the run) instead of becoming
        # a Grade that would be recorded against the model.
        return grade_change(task, change, tracking, raise_sandbox_errors=True)

    return grade


def _cost(model: str, usage: Usage) -> float | None:
    from routr_cli.providers.pricing import cost_usd

    return cost_usd(model, usage)


def _docker_backend() -> Any:
    from routr_cli.sandbox.docker_backend import DockerBackend

    return DockerBackend()
