"""Where a bench writes is checked before the first model call: each bad place is one
line naming the fix, nothing runs. Fast: every case fails before Docker or a provider."""

from __future__ import annotations

from pathlib import Path

import pytest
from routr_cli_runner import run_routr

from routr_cli.bench.outputs import check_output_file, folder_problem
from routr_cli.errors import ConfigError
from routr_cli.paths import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"
UNWRITABLE = Path("/proc/routr-no-such-folder")  # /proc refuses new files, even to root


def _bench(tmp_path: Path, *args: str | Path, cwd: Path | None = None) -> tuple[int, str]:
    result = run_routr(
        "bench", "-m", "sim/frontier", "--tasks", FIXTURES, "--sim-latency", "0", *args,
        env={"ROUTR_REPORTS": str(tmp_path / "reports")}, cwd=cwd,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("flag", ["--json", "--junit"])
def test_a_folder_given_as_a_report_file_is_one_line_before_any_call(
    tmp_path: Path, flag: str
) -> None:
    code, err = _bench(tmp_path, flag, tmp_path, "--db", tmp_path / "r.duckdb")
    assert code == 2
    assert "is a folder; give a file path" in _one_line(err)
    assert not (tmp_path / "r.duckdb").exists()  # nothing ran: no database either


def test_a_report_under_a_file_or_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    code, err = _bench(tmp_path, "--json", a_file / "b.json", "--db", tmp_path / "r.duckdb")
    assert code == 2 and "is a file, not a folder" in _one_line(err)
    code, err = _bench(tmp_path, "--junit", UNWRITABLE / "b.xml", "--db", tmp_path / "r.duckdb")
    assert code == 2 and "cannot write there" in _one_line(err)
    assert "pick another path" in err


def test_an_unwritable_database_place_or_a_folder_as_database_is_one_line(
    tmp_path: Path,
) -> None:
    code, err = _bench(tmp_path, "--db", UNWRITABLE / "x.duckdb")
    assert code == 4 and "cannot create the results database" in _one_line(err)
    code, err = _bench(tmp_path, "--db", tmp_path)
    assert code == 4 and "is a folder; give a database file" in _one_line(err)
    # a read-only working folder with the default database (reports/ in it)
    result = run_routr(
        "bench", "-m", "sim/frontier", "--tasks", FIXTURES, cwd=Path("/proc"),
    )  # fmt: skip
    assert result.returncode == 4
    assert "ROUTR_DB" in _one_line(result.stderr)


def test_both_reports_on_stdout_is_refused(tmp_path: Path) -> None:
    code, err = _bench(tmp_path, "--json", "-", "--junit", "-", "--db", tmp_path / "r.duckdb")
    assert code == 2 and "only one of them" in _one_line(err)


def test_check_helpers_accept_good_places_and_stdout(tmp_path: Path) -> None:
    check_output_file(None, "--json")
    check_output_file(Path("-"), "--json")
    check_output_file(tmp_path / "new" / "deeper" / "b.json", "--json")
    assert folder_problem(tmp_path) is None
    assert not list(tmp_path.glob("**/.routr-write-check-*"))  # the probe is removed
    with pytest.raises(ConfigError, match="is a folder"):
        check_output_file(tmp_path, "--junit")


def test_sim_serve_with_an_impossible_port_is_one_line() -> None:
    result = run_routr("sim", "serve", "--port", "99999")
    assert result.returncode == 2
    assert "--port 99999: pick a port from 0 to 65535" in _one_line(result.stderr)
