"""What ``routr site build`` asks of the data besides the ranking: task snapshots, the
outcome tallies per task, and the data files it publishes under ``downloads/``.

The downloads are exactly the data behind the pages: the attempt frame the statistics
were computed from (one file per model and format, so a new model's attempts do not
rewrite everyone's), the leaderboard and comparisons as their ``as_json()`` rows, and
the task list. DuckDB writes every file (``store.export``), in a fixed row order, so
the same data gives the same bytes; a file group is rewritten only when its data
version changes.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routr_cli.store.db import Store
from routr_cli.store.export import _COPY_OPTIONS, _sql_string, copy_query, export_records
from routr_cli.text import plural

VERSIONS_FILE = ".versions.json"
FORMATS = (
    ("csv", "text/csv"),
    ("parquet", "application/vnd.apache.parquet"),
    ("json", "application/json"),
)
TASK_FORMATS = tuple(f for f in FORMATS if f[0] != "parquet")


@dataclass(frozen=True)
class DataFile:
    path: str  # relative to the site root
    title: str
    media_type: str
    size_bytes: int
    kind: str  # attempts | leaderboard | comparisons | tasks
    model: str | None = None  # per-model attempt files


@dataclass(frozen=True)
class FrameTallies:
    """What the pages need from the attempt frame, from one grouped pass over it."""

    outcomes: list[tuple[Any, ...]]  # per (task, model, solver): see ``frame_tallies``
    task_hashes: list[str]  # the task versions in the frame
    models: list[str]  # sorted
    attempts: int
    newest: Any  # the newest attempt's time (None: no attempts)


def frame_tallies(db_path: Path) -> FrameTallies:
    """Per (task, model, solver), in that order: attempts, solved, any simulated, the
    newest attempt, and (status, count) pairs, most frequent first; and the frame's task
    versions, models, attempt count and newest attempt, added up from those rows.

    One grouped query over the attempt frame (``store.frame``'s query: the newest
    version of each task), not materialised, with a count per status (there are a
    handful, named from the attempts' dictionary, not from another pass over the frame)
    fetched as columns: grouping by status as well, nested lists, or a temporary table
    of the frame read four times cost several times more at a million attempts. Equal
    tallies share one tuple of pairs.
    """
    from routr_cli.store.frame import attempt_frame_sql

    with Store.open(Path(db_path), read_only=True) as store:
        con = store.con
        statuses = [row[0] for row in con.execute(
            "SELECT DISTINCT status FROM attempts ORDER BY status NULLS LAST").fetchall()]  # fmt: skip
        counts = "".join(
            f", count(*) FILTER (WHERE status IS NOT DISTINCT FROM ?) AS s{i}"
            for i in range(len(statuses))
        )
        cols = con.execute(
            "SELECT task_id, model, solver, min(task_hash) AS task_hash, count(*) AS n, "
            f"sum(solved::INTEGER) AS s, bool_or(simulated) AS sim, max(finished_at) AS newest"
            f"{counts} FROM ({attempt_frame_sql(store, ordered=False)}) "
            "GROUP BY task_id, model, solver ORDER BY task_id, model, solver",
            statuses,
        ).fetchnumpy()
    names = [str(s) for s in statuses]
    tallies: dict[tuple[int, ...], tuple[tuple[str, int], ...]] = {}

    def tally(counts: tuple[int, ...]) -> tuple[tuple[str, int], ...]:
        found = tallies.get(counts)
        if found is None:
            pairs = [(name, n) for name, n in zip(names, counts, strict=True) if n]
            found = tallies[counts] = tuple(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
        return found

    per_status = zip(*(cols[f"s{i}"].tolist() for i in range(len(statuses))), strict=True)
    models, n, newest = cols["model"].tolist(), cols["n"].tolist(), cols["newest"].tolist()
    rows = [
        (task_id, model, solver, count, solved, sim, None if when is None else str(when),
         tally(status_counts))
        for task_id, model, solver, count, solved, sim, when, status_counts in zip(
            cols["task_id"].tolist(), models, cols["solver"].tolist(), n,
            cols["s"].tolist(), cols["sim"].tolist(), newest, per_status, strict=True,
        )
    ]  # fmt: skip
    stamps = [when for when in newest if when is not None]
    return FrameTallies(
        outcomes=rows,
        task_hashes=sorted(set(cols["task_hash"].tolist())),
        models=sorted(set(models)),
        attempts=sum(n),
        newest=max(stamps) if stamps else None,
    )


def task_snapshots(db_path: Path, task_hashes: list[str]) -> list[dict[str, Any]]:
    """Metadata of these task versions (title, size, language...)."""
    with Store.open(Path(db_path), read_only=True) as store:
        cursor = store.con.execute(
            "SELECT task_hash, task_id, title, category, language, difficulty, files, lines "
            "FROM task_snapshots WHERE task_hash IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY task_id, task_hash",
            [task_hashes],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def model_versions(con: Any, routr_version: str, source: str = "site_frame") -> dict[str, str]:
    """Per model, a version of its attempts (count and newest: attempts are only added),
    from the frame (``source``: its table, or its query in parentheses)."""
    rows = con.execute(
        f"SELECT model, count(*), max(finished_at) FROM {source} GROUP BY model ORDER BY model"
    ).fetchall()
    return {str(m): _version(n, newest, routr_version) for m, n, newest in rows}


def data_version(count: int, newest: Any, n_comparisons: int, routr_version: str) -> str:
    """A label for the data behind a build: attempts, the newest one, and a short hash."""
    digest = _version(count, newest, n_comparisons, routr_version)
    return f"{plural(count, 'attempt')}, newest {newest}, {digest}"


def records_version(rows: list[dict[str, Any]], routr_version: str) -> str:
    """A version of plain records (the task list): their content, hashed."""
    return _version(json.dumps(rows, sort_keys=True, default=str), routr_version)


def attempt_file_names(slug: str) -> list[str]:
    """A model's attempt files under ``downloads/``, one per format."""
    return [f"attempts/{slug}.{fmt}" for fmt, _ in FORMATS]


def _version(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12]


def write_attempt_files(
    db_path: Path,
    folder: Path,
    recorded: Mapping[str, str],
    routr_version: str,
    slugs_for: Callable[[list[str]], Mapping[str, str]],
) -> dict[str, str]:
    """Each model's attempt files (the bulk of the data: every attempt, three formats),
    written into ``folder`` only for models whose version differs from ``recorded`` or
    whose files are missing; return every model's version.

    Meant for its own process, started before anything else opens the database, so it
    runs beside the statistics and the rendering from the start of a build. After a
    previous build, the versions come from one grouped pass and only the stale models'
    attempts are copied out of the frame (a rebuild after adding a model copies one)."""
    from routr_cli.store.frame import attempt_frame_sql

    with Store.open(Path(db_path), read_only=True) as store:
        con = store.con
        frame = attempt_frame_sql(store, ordered=False)
        versions = model_versions(con, routr_version, f"({frame})") if recorded else {}
        slugs = slugs_for(list(versions))
        stale = [
            m for m, v in versions.items()
            if recorded.get(f"attempts:{m}") != v
            or not all((folder / n).is_file() for n in attempt_file_names(slugs[m]))
        ]  # fmt: skip
        if not recorded:  # a first build: every model, in one pass
            con.execute(f"CREATE TEMP TABLE site_frame AS {frame}")
            versions = model_versions(con, routr_version)
            slugs, stale = slugs_for(list(versions)), list(versions)
        elif stale:
            con.execute(
                f"CREATE TEMP TABLE site_frame AS SELECT * FROM ({frame}) "
                "WHERE model IN (SELECT unnest(?::VARCHAR[]))",
                [stale],
            )
        for model in stale:
            (folder / "attempts").mkdir(parents=True, exist_ok=True)
            for name, (fmt, _) in zip(attempt_file_names(slugs[model]), FORMATS, strict=True):
                con.execute(
                    "COPY (SELECT * FROM site_frame WHERE model = ? "
                    "ORDER BY solver, task_id, epoch, finished_at) "
                    f"TO {_sql_string(folder / name)} ({_COPY_OPTIONS[fmt]})",
                    [model],
                )
    return versions


class DownloadWriter:
    """The data files under ``folder`` (the site's ``downloads/``), in steps.

    ``plan`` names every file and decides which of the leaderboard, comparisons and task
    list are stale (their version differs from the one recorded beside them, or a file
    is missing): the pages can be planned and rendered meanwhile. The attempt files are
    written by ``write_attempt_files`` (from ``recorded``), the rest by ``write`` (each
    may run in a process of its own); ``finish`` records every version and returns every
    file with its size. The versions file is removed first and written last: a cut run
    rewrites every group rather than trusting a half file.
    """

    def __init__(self, folder: Path, routr_version: str) -> None:
        self.folder = folder
        self.routr_version = routr_version
        folder.mkdir(parents=True, exist_ok=True)
        self.versions_path = folder / VERSIONS_FILE
        try:
            self.recorded: dict[str, str] = json.loads(
                self.versions_path.read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            self.recorded = {}
        self.versions_path.unlink(missing_ok=True)
        self.current: dict[str, str] = {}
        self.stale: set[str] = set()
        self.files: list[DataFile] = []

    def _check(self, key: str, names: list[str], wanted: str) -> None:
        self.current[key] = wanted
        if self.recorded.get(key) != wanted or not all((self.folder / n).is_file() for n in names):
            self.stale.add(key)

    def plan(self, slugs: Mapping[str, str], *, version: str, tasks_version: str) -> list[DataFile]:
        """Every data file (size 0: not written yet). ``slugs``: model -> slug, for each
        model's attempt files; ``version``: the leaderboard's and comparisons'."""
        for model, slug in slugs.items():
            self.files += [
                DataFile(f"downloads/{n}", f"{model} attempts ({fmt.upper()})", media, 0,
                         "attempts", model)
                for n, (fmt, media) in zip(attempt_file_names(slug), FORMATS, strict=True)
            ]  # fmt: skip
        for kind, title in (("leaderboard", "Leaderboard"), ("comparisons", "Comparisons")):
            names = [f"{kind}.{fmt}" for fmt, _ in FORMATS]
            self._check(kind, names, version)
            self.files += [
                DataFile(f"downloads/{n}", f"{title} ({fmt.upper()})", media, 0, kind)
                for n, (fmt, media) in zip(names, FORMATS, strict=True)
            ]
        names = [f"tasks.{fmt}" for fmt, _ in TASK_FORMATS]
        self._check("tasks", names, tasks_version)
        self.files += [
            DataFile(f"downloads/{n}", f"Task list ({fmt.upper()})", media, 0, "tasks")
            for n, (fmt, media) in zip(names, TASK_FORMATS, strict=True)
        ]
        return list(self.files)

    def write(
        self,
        db_path: Path,
        *,
        leaderboard: Callable[[], list[dict[str, Any]]],
        comparisons: Callable[[], list[dict[str, Any]]] | None,
        tasks: list[dict[str, Any]],
    ) -> None:
        """Write the stale groups of the leaderboard, comparisons and task list. The
        leaderboard rows and the comparisons (``as_json()`` records; None: those stored
        in ``db``) are asked for only when their files are stale."""
        if "leaderboard" in self.stale:
            _write_records(
                [_flat(r) for r in leaderboard()],
                [(fmt, self.folder / f"leaderboard.{fmt}") for fmt, _ in FORMATS],
            )
        if "comparisons" in self.stale:
            _write_comparisons(
                db_path,
                None if comparisons is None else comparisons(),
                [(fmt, self.folder / f"comparisons.{fmt}") for fmt, _ in FORMATS],
            )
        if "tasks" in self.stale:
            _write_records(tasks, [(fmt, self.folder / f"tasks.{fmt}") for fmt, _ in TASK_FORMATS])

    def finish(self, versions: Mapping[str, str]) -> list[DataFile]:
        """Once every file is written (``versions``: each model's attempt version, from
        ``write_attempt_files``): remove files of models no longer in the data, record
        the versions; return every file with its size."""
        planned = {f.model for f in self.files if f.model is not None}
        if set(versions) != planned:
            from routr_cli.errors import StoreError

            raise StoreError("the database changed during the site build: run it again")
        self.current.update({f"attempts:{m}": v for m, v in versions.items()})
        _remove_stale(self.folder, {f.path.removeprefix("downloads/") for f in self.files})
        self.versions_path.write_text(
            json.dumps(self.current, sort_keys=True, indent=0) + "\n", encoding="utf-8"
        )
        root = self.folder.parent
        return [
            DataFile(f.path, f.title, f.media_type, (root / f.path).stat().st_size, f.kind, f.model)
            for f in self.files
        ]


_JSON_TYPES = {
    "str": "VARCHAR", "str | None": "VARCHAR", "bool": "BOOLEAN", "int": "BIGINT",
    "int | None": "BIGINT", "float | None": "DOUBLE", "tuple[str, ...]": "JSON",
}  # fmt: skip


def comparison_columns() -> dict[str, str]:
    """``Comparison``'s fields as DuckDB types, in order (task lists stay JSON arrays)."""
    from dataclasses import fields

    from routr_cli.ranking.comparisons import Comparison

    columns = {}
    for f in fields(Comparison):
        kind = _JSON_TYPES.get(str(f.type))
        if kind is None:
            raise TypeError(f"Comparison.{f.name}: no column type for {f.type!r} in _JSON_TYPES")
        columns[f.name] = kind
    return columns


def _write_comparisons(
    db_path: Path, records: list[dict[str, Any]] | None, targets: list[tuple[str, Path]]
) -> None:
    """Every comparison, ordered by solver, category, a, b, in each (format, path).

    Their JSON, as ``compare --all`` stores it (``payload``), parsed by DuckDB into
    typed columns: read straight from the store (``records`` None) or from the records
    given. One path for both, and no per-row Python: thousands of comparisons carry
    long task lists.
    """
    import duckdb

    if records is None:
        with Store.open(Path(db_path), read_only=True) as store:
            _copy_comparisons(store.con, "comparisons", targets)
        return
    con = duckdb.connect()
    try:
        payloads = [json.dumps(r, sort_keys=True, default=str) for r in records]
        con.execute("CREATE TEMP TABLE given AS SELECT unnest(?::VARCHAR[]) AS payload", [payloads])
        _copy_comparisons(con, "given", targets)
    finally:
        con.close()


def _copy_comparisons(con: Any, source: str, targets: list[tuple[str, Path]]) -> None:
    structure = "'" + json.dumps(comparison_columns()).replace("'", "''") + "'"  # a literal
    con.execute(
        "CREATE TEMP TABLE site_comparisons AS SELECT * FROM (SELECT unnest(from_json("
        f"payload, {structure})) FROM {source}) ORDER BY solver, category, a, b"
    )
    for fmt, path in targets:
        copy_query(con, "SELECT * FROM site_comparisons", [], fmt, path)


def _write_records(rows: list[dict[str, Any]], targets: list[tuple[str, Path]]) -> None:
    """Plain records written by DuckDB in each (format, path): read from their JSON once
    (``export_records`` would read it again for every format)."""
    import duckdb

    if not rows:
        for fmt, path in targets:
            export_records(rows, fmt, path)
        return
    with tempfile.TemporaryDirectory(prefix="routr-site-records-") as scratch:
        source = Path(scratch) / "records.json"
        source.write_text(json.dumps(rows, default=str), encoding="utf-8")
        con = duckdb.connect()
        try:
            con.execute(
                f"CREATE TABLE records AS SELECT * FROM read_json({_sql_string(source)}, "
                "format='array')"
            )
            for fmt, path in targets:
                copy_query(con, "SELECT * FROM records", [], fmt, path)
        finally:
            con.close()


def _remove_stale(folder: Path, keep: set[str]) -> None:
    """Data files of models no longer in the data (they would be published otherwise)."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in (VERSIONS_FILE, "index.html") and rel not in keep:
            path.unlink()


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """Nested values (failure shares, task lists) as JSON text, so CSV can hold them."""
    return {
        k: json.dumps(v, sort_keys=True) if isinstance(v, (dict, list, tuple)) else v
        for k, v in row.items()
    }
