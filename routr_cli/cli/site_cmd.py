"""`routr site build` and `routr site serve`: the static comparison site.

The build reads the store once (the attempt frame, the stored ``compare --all`` results,
task snapshots), runs the ranking API on it, writes the data files under
``downloads/`` and hands everything to the pure site builder (``routr_cli.site``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from routr_cli.site import BuildReport, SiteOptions

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True)

DEFAULT_OUT = Path("reports/site")
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"


def make_server(directory: Path, host: str, port: int) -> Any:
    """A threaded static file server for ``directory``; missing paths get its 404.html."""
    import functools
    from http import HTTPStatus
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from routr_cli.errors import ConfigError

    class Handler(SimpleHTTPRequestHandler):
        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            page = directory / "404.html"
            if code != HTTPStatus.NOT_FOUND or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    handler = functools.partial(Handler, directory=str(directory))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise ConfigError(
            f"cannot serve on {host}:{port} ({exc.strerror}): pick another --port"
        ) from exc


def _say(text: str) -> None:
    typer.echo(text, err=True)


def _tasks_by_id(tasks_dir: Path | None) -> dict[str, Any]:
    """Local task folders by id (for their prompts); a malformed one is skipped."""
    from routr_cli.tasks.load import load_tasks_lenient

    if tasks_dir is None or not tasks_dir.is_dir():
        return {}
    loaded = load_tasks_lenient(tasks_dir)
    tasks = loaded[0] if isinstance(loaded, tuple) else loaded
    return {task.id: task for task in tasks}


def _task_infos(rows: list[dict[str, Any]], tasks_dir: Path | None) -> dict[str, Any]:
    """Each graded task's metadata; the prompt only when the local folder is the version
    that was graded (same content hash), so a page never shows a prompt the models did
    not see. Hidden tests and the reference change are never read."""
    from routr_cli.site import TaskInfo

    local = _tasks_by_id(tasks_dir)
    infos = {}
    for row in rows:
        task = local.get(row["task_id"])
        prompt = task.prompt if task is not None and task.content_hash == row["task_hash"] else None
        infos[row["task_id"]] = TaskInfo(
            task_id=row["task_id"],
            title=row["title"],
            category=row["category"],
            language=row["language"],
            difficulty=row["difficulty"],
            files=row["files"],
            lines=row["lines"],
            prompt=prompt,
        )
    return infos


def _when(text: str | None) -> datetime:
    return datetime.fromisoformat(text) if text else datetime.min


def _comparisons(
    stored: list[Any], summary: Callable[[], Any], board: Any, draws: int
) -> tuple[list[Any], bool]:
    """The stored ``compare --all`` results (``stored``, read from the store); computed
    here (the same function, not stored, from ``summary()``) when none are stored or
    they are stale: older than the newest attempt, or for another set of models. Also
    whether they are the stored ones."""
    from routr_cli.ranking import compare_all

    models = {s.model for s in board.rows}
    if stored:
        covered = {c.a for c in stored} | {c.b for c in stored}
        stored_newest = max(_when(c.newest_attempt) for c in stored)
        if covered == models and stored_newest >= (board.newest_attempt or datetime.min):
            return stored, True
    reason = "none are stored" if not stored else "the stored ones are older than the data"
    _say(f"comparisons: computing compare --all ({reason}; `routr compare --all` stores them)")
    return list(compare_all(summary(), draws=draws, seed=0)), False


def _statistics(db: Path, draws: int) -> Any:
    """The standings, as ``routr recommend`` computes them (languages included)."""
    from routr_cli.cli.rank_cmd import attempts_summary
    from routr_cli.ranking import standings

    return standings(attempts_summary(db), draws=draws, seed=0, languages=True)


def _records(items: list[Any]) -> list[dict[str, Any]]:
    """Dataclass rows as plain dicts (``as_json`` without its deep copy: thousands of
    comparisons carry long task lists)."""
    from dataclasses import fields

    if not items:
        return []
    names = [f.name for f in fields(items[0])]
    return [
        {n: list(v) if isinstance(v, tuple) else v for n in names for v in [getattr(i, n)]}
        for i in items
    ]


@dataclass(frozen=True)
class StoreReading:
    """What the pages need from the store besides the statistics."""

    models: list[str]  # the models with attempts in the frame, sorted
    tasks: dict[str, Any]  # task id -> TaskInfo
    outcomes: dict[str, Any]  # task id -> Outcomes
    attempts: int
    newest: Any


def read_store(db: Path, tasks_dir: Path | None) -> StoreReading:
    """The attempt frame's tallies and task metadata (read while another process
    computes the statistics)."""
    from routr_cli.site.outcomes import outcomes_from_rows
    from routr_cli.store.site_exports import frame_tallies, task_snapshots

    tallies = frame_tallies(db)
    snapshots = task_snapshots(db, tallies.task_hashes)
    return StoreReading(
        tallies.models,
        _task_infos(snapshots, tasks_dir),
        outcomes_from_rows(tallies.outcomes),
        tallies.attempts,
        tallies.newest,
    )


def build_from_store(
    db: Path,
    out: Path,
    options: SiteOptions,
    *,
    tasks_dir: Path | None,
    draws: int,
    compare_draws: int,
    jobs: int | None = None,
) -> tuple[BuildReport, dict[str, float]]:
    """Build the site from the store, with the data files under ``downloads/``.

    The standings come from the same folded summary and call as ``routr recommend``
    (languages included), so the grader's answers can equal the command's. Three
    overlaps keep a large build short: the attempt files (most of the data) are written
    by a process forked first; the statistics are computed in another while threads
    here read the store's tallies and the stored comparisons; the other data files are
    written while forked workers render the pages (``build_site(alongside=)``). Every
    DuckDB connection here is closed before each fork.
    """
    from routr_cli import __version__
    from routr_cli.site.builder import collection_paused
    from routr_cli.site.formatting import model_slugs
    from routr_cli.store import Store
    from routr_cli.store.site_exports import DownloadWriter, write_attempt_files

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with Store.open(db, read_only=True):  # a missing or old database: one line, nothing written
        pass  # and closed again (its threads end) before the first fork
    writer = DownloadWriter(out / "downloads", __version__)
    recorded = writer.recorded
    jobs_: list[Forked] = []
    attempt_files = Forked(
        lambda: write_attempt_files(db, writer.folder, recorded, __version__, model_slugs)
    )
    jobs_.append(attempt_files)
    try:
        # The whole build only allocates (a million attempts' tallies, thousands of stored
        # comparisons, 17,000 planned pages) and frees nothing in cycles, while a full
        # collection walks that whole heap: with the collector on, a rebuild spent half
        # a second in collections triggered by reading the manifest and planning.
        with collection_paused():
            report = _build(db, out, options, tasks_dir, draws, compare_draws, jobs, writer,
                            attempt_files, jobs_, timings)  # fmt: skip
    finally:
        for job in jobs_:
            job.stop()
    timings["data"] = report.alongside_s
    timings["attempt files"] = attempt_files.seconds
    timings["total"] = time.perf_counter() - started
    return report, timings


def _build(
    db: Path,
    out: Path,
    options: SiteOptions,
    tasks_dir: Path | None,
    draws: int,
    compare_draws: int,
    jobs: int | None,
    writer: Any,
    attempt_files: Forked,
    jobs_: list[Forked],
    timings: dict[str, float],
) -> BuildReport:
    from routr_cli import __version__
    from routr_cli.cli.rank_cmd import attempts_summary
    from routr_cli.paths import PROJECT_ROOT
    from routr_cli.ranking import classifier_model
    from routr_cli.site import Download, SiteData, build_site
    from routr_cli.site.formatting import model_slugs
    from routr_cli.store.comparisons import read_comparisons
    from routr_cli.store.site_exports import data_version, records_version

    started = time.perf_counter()
    # The statistics are computed in a process of their own (forked before any thread or
    # DuckDB connection here; the leaderboard comes back in milliseconds) while two
    # threads here read the store's tallies and the stored comparisons: both are mostly
    # Python (an outcome per task and model, 35 MB of JSON at 1M attempts), and sharing
    # one GIL with them slowed the statistics threefold.
    statistics = Forked(lambda: _statistics(db, draws), "computing the statistics")
    jobs_.append(statistics)
    with ThreadPoolExecutor(2) as pool:
        reading = pool.submit(_timed, read_store, db, tasks_dir)
        stored_comparisons = pool.submit(read_comparisons, db)
        classifier = pool.submit(classifier_model)
        board = statistics.result()
        timings["statistics"] = statistics.seconds
        comparisons, stored = _comparisons(
            stored_comparisons.result(), lambda: attempts_summary(db), board, compare_draws
        )
        store, timings["read"] = reading.result()
    timings["read and statistics"] = time.perf_counter() - started
    version = data_version(store.attempts, store.newest, len(comparisons), __version__)
    task_rows = [
        {k: v for k, v in vars(t).items() if k != "prompt"}
        for t in sorted(store.tasks.values(), key=lambda t: t.task_id)
    ]
    planned = writer.plan(
        model_slugs(store.models),
        version=version,
        tasks_version=records_version(task_rows, __version__),
    )

    def downloads(files: list[Any]) -> list[Download]:
        return [
            Download(f.path, f.title, f.media_type, f.size_bytes, f.kind, f.model) for f in files
        ]

    # Every DuckDB connection here is closed: the leaderboard, comparisons and task list
    # are written by a forked process while the pages are planned and rendered.
    other_files = Forked(
        lambda: writer.write(
            db,
            leaderboard=lambda: _records(list(board.rows)),
            # Stored: DuckDB reads their JSON from the store, no Python in the way.
            comparisons=None if stored else lambda: [c.as_json() for c in comparisons],
            tasks=task_rows,
        )
    )
    jobs_.append(other_files)

    def write_data_files() -> list[Download]:
        other_files.result()
        return downloads(writer.finish(attempt_files.result()))

    # The statistics with their formulas, then grading, validation and the threat model.
    docs = [PROJECT_ROOT / "docs" / name for name in ("methodology.md", "threat-model.md")]
    methodology = "\n\n".join(p.read_text(encoding="utf-8") for p in docs if p.is_file())
    data = SiteData(
        leaderboard=board,
        comparisons=comparisons,
        tasks=store.tasks,
        outcomes=store.outcomes,
        classifier=classifier.result(),
        methodology_markdown=methodology or None,
        downloads=downloads(planned),
        data_version=version,
    )
    report = build_site(data, out, options, jobs=jobs, alongside=write_data_files)
    timings["other data files"] = other_files.seconds  # known once waited for, alongside
    return report


class Forked:
    """``work()`` run in a forked process, its result sent back through a pipe.

    Forked only when no DuckDB connection is open here (none of its threads is copied),
    and inheriting what it needs (a leaderboard, comparisons) rather than pickling it:
    the statistics are computed, and the data files written, on the other core while
    this process reads the store, plans and renders. ``doing`` names the work in its
    error."""

    def __init__(
        self, work: Callable[[], Any], doing: str = "writing the site's data files"
    ) -> None:
        import multiprocessing

        self.doing = doing
        context = multiprocessing.get_context("fork")
        self._answer, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_run_forked, args=(send, work), daemon=True)
        self.process.start()
        send.close()
        self.seconds = 0.0

    def result(self) -> Any:
        """What ``work()`` returned (its exception, as one line, if it failed)."""
        try:
            status, value, self.seconds = self._answer.recv()
        except EOFError:
            status, value = "error", f"the process ended with code {self.process.exitcode}"
        self.process.join()
        if status == "raise":
            raise value  # a RoutrError: its one line already names the fix
        if status != "ok":
            from routr_cli.errors import StoreError

            raise StoreError(f"{self.doing} failed ({value}): fix that, build again")
        return value

    def stop(self) -> None:
        """Ends the process if the build stopped before waiting for it."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self._answer.close()


def _run_forked(send: Any, work: Callable[[], Any]) -> None:
    from routr_cli.errors import RoutrError

    started = time.perf_counter()
    try:
        send.send(("ok", work(), time.perf_counter() - started))
    except RoutrError as exc:  # raised as it is (no attempts, an old database...)
        send.send(("raise", exc, time.perf_counter() - started))
    except Exception as exc:  # reported to the build, which raises it
        send.send(("error", f"{type(exc).__name__}: {exc}", time.perf_counter() - started))
    finally:
        send.close()


def _timed(work: Callable[..., T], *args: Any) -> tuple[T, float]:
    started = time.perf_counter()
    return work(*args), time.perf_counter() - started


@app.command("build")
def build(
    db: Path | None = typer.Option(
        None, "--db", help="Results database (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder to write the site into."),
    base_url: str = typer.Option(
        DEFAULT_BASE_URL,
        "--base-url",
        help="Where the site will be published (absolute; canonicals and sitemaps use it).",
    ),
    title: str = typer.Option("Routr: coding model rankings", "--title", help="Site title."),
    min_shared_tasks: int = typer.Option(
        30, "--min-shared-tasks", min=1, help="Fewer shared tasks make a pair page thin."
    ),
    tasks_dir: Path | None = typer.Option(
        None, "--tasks", help="Task folders, for the prompts (default: the bundled suite)."
    ),
    draws: int = typer.Option(1000, "--draws", min=100, help="Bootstrap draws for standings."),
    jobs: int | None = typer.Option(
        None, "--jobs", min=1, help="Processes rendering pages (default: up to 2)."
    ),
) -> None:
    """Build the static site from the results database."""
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_db, default_tasks_dir
    from routr_cli.site import SiteOptions

    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"--base-url {base_url!r} is not absolute: pass e.g. https://you.github.io/routr/"
        )
    path = db if db is not None else default_db()
    options = SiteOptions(base_url=base_url, title=title, min_shared_tasks=min_shared_tasks)
    report, timings = build_from_store(
        path,
        out,
        options,
        tasks_dir=tasks_dir if tasks_dir is not None else default_tasks_dir(),
        draws=draws,
        compare_draws=2000,
        jobs=jobs,
    )
    typer.echo(f"site: {report.summary()}")
    typer.echo(
        f"site: {timings['total']:.1f} s in all (read {timings['read']:.1f} s beside statistics "
        f"{timings['statistics']:.1f} s; pages {report.plan_s + report.render_s + report.write_s:.1f} s, "
        f"{report.pages_per_s:,.0f} pages/s; data files written beside them in "
        f"{timings['attempt files']:.1f} s and {timings['other data files']:.1f} s); "
        f"open {out / 'index.html'} or run "
        f"`routr site serve --dir {out}`"
    )


@app.command("serve")
def serve(
    directory: Path = typer.Option(DEFAULT_OUT, "--dir", help="The built site."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port (0: any free one)."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind (loopback by default: a local preview)."
    ),
) -> None:
    """Preview a built site over HTTP on this machine (Ctrl-C stops it)."""
    from routr_cli.errors import ConfigError

    if not (directory / "index.html").is_file():
        raise ConfigError(f"no site in {directory}: run `routr site build --out {directory}` first")
    server = make_server(directory, host, port)
    bound_host, bound_port = server.server_address[:2]
    typer.echo(f"serving {directory} at http://{bound_host}:{bound_port}/ (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
