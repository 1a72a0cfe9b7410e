from __future__ import annotations

import json
from pathlib import Path

from routr_cli_runner import run_routr

from routr_cli.store import latest_version

_routr = run_routr


def test_db_migrate_then_info(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "r.duckdb"
    missing = _routr("db", "info", "--db", str(db))
    assert missing.returncode == 4 and missing.stderr.count("\n") == 1
    migrated = _routr("db", "migrate", "--db", str(db))
    assert migrated.returncode == 0, migrated.stderr
    assert f"schema version {latest_version()}" in migrated.stdout
    info = json.loads(_routr("db", "info", "--db", str(db), "--json").stdout)
    assert info["schema_version"] == latest_version()
    assert info["attempts"] == 0 and info["runs"] == 0


def test_db_merge_with_a_bad_input_is_one_line(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.duckdb"
    not_db.write_text("not a database")
    result = _routr("db", "merge", str(not_db), "-o", str(tmp_path / "out.duckdb"))
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_db_merge_without_o_names_the_flag_in_one_line(tmp_path: Path) -> None:
    result = _routr("db", "merge", str(tmp_path / "a.duckdb"))
    assert result.returncode == 2
    assert result.stderr == (
        "error: name the merged database with -o, e.g. routr db merge shard-*.duckdb "
        "-o all.duckdb\n"
    )
