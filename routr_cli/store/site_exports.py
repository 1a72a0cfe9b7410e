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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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


@dataclass(frozen=True)
class DataFile:
    path: str  # relative to the site root
    title: str
    media_type: str
    size_bytes: int
    kind: str  # attempts | leaderboard | comparisons | tasks
    model: str | None = None  # per-model attempt files


@contextmanager
def site_frame(db_path: Path) -> Iterator[Any]:
    """The database opened read-only, with the attempt frame (``store.frame``'s query:
    the newest version of each task) as the temporary table ``site_frame``: one scan of
    the attempts, then every tally and data file reads native columns."""
    from routr_cli.store.frame import attempt_frame_sql

    with Store.open(Path(db_path), read_only=True) as store:
        store.con.execute(
            f"CREATE TEMP TABLE site_frame AS {attempt_frame_sql(store, ordered=False)}"
        )
        yield store.con


def task_snapshots(con: Any) -> list[dict[str, Any]]:
    """Metadata of the task versions in the frame (title, size, language...)."""
    cursor = con.execute(
        "SELECT task_hash, task_id, title, category, language, difficulty, files, lines "
        "FROM task_snapshots WHERE task_hash IN (SELECT DISTINCT task_hash FROM site_frame) "
        "ORDER BY task_id, task_hash"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def outcome_rows(con: Any) -> list[tuple[Any, ...]]:
    """Per (task, model, solver), in that order: attempts, solved, any simulated, the
    newest attempt, and (status, count) pairs, most frequent first.

    One grouped query with a count per status (there are a handful) fetched as columns:
    grouping by status as well, or nested lists, cost several times more at a million
    attempts. Equal tallies share one tuple of pairs.
    """
    statuses = [row[0] for row in con.execute(
        "SELECT DISTINCT status FROM site_frame ORDER BY status NULLS LAST").fetchall()]  # fmt: skip
    counts = "".join(
        f", count(*) FILTER (WHERE status IS NOT DISTINCT FROM ?) AS s{i}"
        for i in range(len(statuses))
    )
    cols = con.execute(
        "SELECT task_id, model, solver, count(*) AS n, sum(solved::INTEGER) AS s, "
        f"bool_or(simulated) AS sim, max(finished_at) AS newest{counts} "
        "FROM site_frame GROUP BY ALL ORDER BY task_id, model, solver",
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
    return [
        (task_id, model, solver, n, solved, sim, None if newest is None else str(newest),
         tally(counts))
        for task_id, model, solver, n, solved, sim, newest, counts in zip(
            cols["task_id"].tolist(), cols["model"].tolist(), cols["solver"].tolist(),
            cols["n"].tolist(), cols["s"].tolist(), cols["sim"].tolist(),
            cols["newest"].tolist(), per_status, strict=True,
        )
    ]  # fmt: skip


def _version(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12]


def model_versions(con: Any, routr_version: str) -> dict[str, str]:
    """Per model, a version of its attempts (count and newest: attempts are only added)."""
    rows = con.execute(
        "SELECT model, count(*), max(finished_at) FROM site_frame GROUP BY model ORDER BY model"
    ).fetchall()
    return {str(m): _version(n, newest, routr_version) for m, n, newest in rows}


def data_version(con: Any, n_comparisons: int, routr_version: str) -> str:
    """A label for the data behind a build: attempts, the newest one, and a short hash."""
    count, newest = con.execute("SELECT count(*), max(finished_at) FROM site_frame").fetchone()
    digest = _version(count, newest, n_comparisons, routr_version)
    return f"{plural(count, 'attempt')}, newest {newest}, {digest}"


class DownloadWriter:
    """Writes the data files into ``folder`` (the site's ``downloads/``), each group only
    when its version differs from the one recorded beside them.

    Two steps, so the per-model attempt files (the bulk: every attempt, three formats)
    can be written while the statistics are computed: ``attempts()`` needs only the
    frame, ``finish()`` the leaderboard and comparisons. The versions file is removed
    first and written last: a cut run rewrites every group rather than trusting a half
    file.
    """

    def __init__(self, folder: Path, con: Any, routr_version: str) -> None:
        self.folder = folder
        self.con = con
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
        self.files: list[DataFile] = []

    def _stale(self, key: str, names: list[str], wanted: str) -> bool:
        self.current[key] = wanted
        return self.recorded.get(key) != wanted or not all(
            (self.folder / n).is_file() for n in names
        )

    def attempts(self, slugs: Mapping[str, str]) -> None:
        """One file per model and format, straight from the frame's temp table."""
        for model, model_version in model_versions(self.con, self.routr_version).items():
            names = [f"attempts/{slugs[model]}.{fmt}" for fmt, _ in FORMATS]
            if self._stale(f"attempts:{model}", names, model_version):
                (self.folder / "attempts").mkdir(exist_ok=True)
                for name, (fmt, _) in zip(names, FORMATS, strict=True):
                    self.con.execute(
                        "COPY (SELECT * FROM site_frame WHERE model = ? "
                        "ORDER BY solver, task_id, epoch, finished_at) "
                        f"TO {_sql_string(self.folder / name)} ({_COPY_OPTIONS[fmt]})",
                        [model],
                    )
            self.files += [
                DataFile(
                    f"downloads/{n}",
                    f"{model} attempts ({fmt.upper()})",
                    media,
                    0,
                    "attempts",
                    model,
                )
                for n, (fmt, media) in zip(names, FORMATS, strict=True)
            ]

    def finish(
        self,
        *,
        leaderboard: list[dict[str, Any]],
        comparisons: list[dict[str, Any]],
        tasks: list[dict[str, Any]],
        version: str,
    ) -> list[DataFile]:
        """The leaderboard, comparisons and task list; then every file, with its size."""
        for kind, rows, title in (
            ("leaderboard", leaderboard, "Leaderboard"),
            ("comparisons", comparisons, "Comparisons"),
        ):
            names = [f"{kind}.{fmt}" for fmt, _ in FORMATS]
            if self._stale(kind, names, version):
                _write_records(
                    [_flat(r) for r in rows],
                    [(fmt, self.folder / n) for n, (fmt, _) in zip(names, FORMATS, strict=True)],
                )
            self.files += [
                DataFile(f"downloads/{n}", f"{title} ({fmt.upper()})", media, 0, kind)
                for n, (fmt, media) in zip(names, FORMATS, strict=True)
            ]
        task_formats = [f for f in FORMATS if f[0] != "parquet"]
        names = [f"tasks.{fmt}" for fmt, _ in task_formats]
        if self._stale("tasks", names, version):
            _write_records(
                tasks,
                [(fmt, self.folder / n) for n, (fmt, _) in zip(names, task_formats, strict=True)],
            )
        self.files += [
            DataFile(f"downloads/{n}", f"Task list ({fmt.upper()})", media, 0, "tasks")
            for n, (fmt, media) in zip(names, task_formats, strict=True)
        ]
        _remove_stale(self.folder, {f.path.removeprefix("downloads/") for f in self.files})
        self.versions_path.write_text(
            json.dumps(self.current, sort_keys=True, indent=0) + "\n", encoding="utf-8"
        )
        root = self.folder.parent
        return [
            DataFile(f.path, f.title, f.media_type, (root / f.path).stat().st_size, f.kind, f.model)
            for f in self.files
        ]


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
