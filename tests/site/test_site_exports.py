"""The site's data files, written by DuckDB from a real store."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import site_db

from routr_cli.cli.rank_cmd import attempts_summary
from routr_cli.ranking import compare_all
from routr_cli.store import Store
from routr_cli.store.comparisons import read_comparisons, write_comparisons
from routr_cli.store.site_exports import FORMATS, _write_comparisons


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results database with its ``compare --all`` results stored, as the command does."""
    db = site_db.make_db(tmp_path_factory.mktemp("db") / "results.duckdb")
    found = compare_all(attempts_summary(db), draws=200, seed=0)
    with Store.open(db) as store:
        write_comparisons(store, found)
    return db


def _files(db: Path, records: list[dict[str, object]] | None, out: Path) -> dict[str, bytes]:
    out.mkdir()
    targets = [(fmt, out / f"comparisons.{fmt}") for fmt, _ in FORMATS]
    _write_comparisons(db, records, targets)
    return {path.name: path.read_bytes() for _, path in targets}


def test_comparisons_read_from_the_store_equal_those_given_as_records(
    stored: Path, tmp_path: Path
) -> None:
    comparisons = read_comparisons(stored)
    from_store = _files(stored, None, tmp_path / "store")
    given = _files(stored, [c.as_json() for c in reversed(comparisons)], tmp_path / "given")
    assert from_store == given  # same bytes in every format, whatever the order given
    rows = json.loads(from_store["comparisons.json"])
    assert len(rows) == len(comparisons) > 10
    first = sorted(comparisons, key=lambda c: (c.solver, c.category, c.a, c.b))[0]
    assert rows[0]["a"] == first.a and rows[0]["only_a"] == list(first.only_a)  # a JSON array
    table = list(csv.DictReader(from_store["comparisons.csv"].decode().splitlines()))
    assert json.loads(table[0]["only_a"]) == list(first.only_a)  # JSON text in a CSV cell
    assert table[0]["verdict"] == first.verdict


def test_a_changed_comparison_changes_the_files(stored: Path, tmp_path: Path) -> None:
    """Control for the test above: the files do depend on the records given."""
    records = [c.as_json() for c in read_comparisons(stored)]
    records[0] = {**records[0], "verdict": "edited"}
    changed = _files(stored, records, tmp_path / "changed")
    assert changed != _files(stored, None, tmp_path / "store")
    shutil.rmtree(tmp_path / "changed")


def test_work_forked_for_the_data_files_returns_its_result_or_a_one_line_error() -> None:
    from routr_cli.cli.site_cmd import Forked
    from routr_cli.errors import ConfigError, StoreError

    rows = {"model": ["a", "b"]}  # inherited by the fork, not pickled
    assert Forked(lambda: len(rows["model"])).result() == 2

    def broken() -> int:
        raise OSError("disk full")

    job = Forked(broken)
    with pytest.raises(StoreError, match=r"data files failed \(OSError: disk full\)") as caught:
        job.result()
    assert "\n" not in str(caught.value)
    job.stop()

    def refused() -> int:
        raise ConfigError("no attempts in x.duckdb: run `routr bench -m MODEL` first")

    with pytest.raises(ConfigError, match=r"^no attempts in x.duckdb: run `routr bench"):
        Forked(refused, "computing the statistics").result()  # a RoutrError, as it is


def test_attempt_files_are_rewritten_only_for_models_whose_attempts_changed(
    stored: Path, tmp_path: Path
) -> None:
    from routr_cli import __version__
    from routr_cli.site.formatting import model_slugs
    from routr_cli.store.site_exports import write_attempt_files

    versions = write_attempt_files(stored, tmp_path, {}, __version__, model_slugs)
    files = sorted((tmp_path / "attempts").iterdir())
    assert len(files) == 3 * len(site_db.MODELS) == 3 * len(versions)
    before = {f.name: (f.stat().st_mtime_ns, f.read_bytes()) for f in files}
    recorded = {f"attempts:{m}": v for m, v in versions.items()}
    assert write_attempt_files(stored, tmp_path, recorded, __version__, model_slugs) == versions
    assert {f.name: (f.stat().st_mtime_ns, f.read_bytes()) for f in files} == before
    # One model's recorded version differs (its attempts changed) and another's file is
    # gone: those two models' files are written again, the same bytes; no other file.
    first, second = sorted(versions)[:2]
    slug_a, slug_b = model_slugs(sorted(versions))[first], model_slugs(sorted(versions))[second]
    (tmp_path / "attempts" / f"{slug_b}.json").unlink()
    changed = {**recorded, f"attempts:{first}": "old"}
    write_attempt_files(stored, tmp_path, changed, __version__, model_slugs)
    after = {f.name: (f.stat().st_mtime_ns, f.read_bytes()) for f in files}
    rewritten = {name for name in before if after[name][0] != before[name][0]}
    assert rewritten == {f"{s}.{x}" for s in (slug_a, slug_b) for x in ("csv", "parquet", "json")}
    assert all(after[name][1] == before[name][1] for name in before)
