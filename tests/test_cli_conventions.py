"""CLI conventions, for every command: -h and --help, --version, shell completion,
plain value names in help, COLUMNS honoured when piped, and a closed stdout pipe that
ends output quietly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from routr_cli_runner import ROUTR, run_routr

from routr_cli import __version__
from routr_cli.cli.conventions import plain_metavars
from routr_cli.cli.main import app

PYTHON_TYPE = re.compile(r"<(list\[)?(str|int|float|bool|path|Path|bytes|datetime)\]?( range)?>")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        yield from _commands(sub, (*path, name))


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    command = typer.main.get_command(app)
    plain_metavars(command)
    with pytest.raises(SystemExit) as stop:
        command.main([*args], prog_name="routr")
    assert stop.value.code == 0
    return capsys.readouterr().out


ALL_COMMANDS = list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "routr")
def test_every_command_has_h_and_help_without_python_types(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...]
) -> None:
    short = _help(capsys, *path, "-h")
    assert short.startswith("Usage: routr"), short
    assert short == _help(capsys, *path, "--help")
    assert not PYTHON_TYPE.search(short), PYTHON_TYPE.search(short)


def test_value_names_say_what_goes_there(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys, "bench", "-h")
    for expected in ("--model MODEL", "--epochs N", "--db PATH", "--max-cost NUMBER"):
        assert expected in text, expected


def test_the_installed_command_has_version_and_h() -> None:
    version = run_routr("--version")
    assert version.returncode == 0 and version.stdout == f"routr {__version__}\n"
    short = run_routr("tasks", "-h")
    assert short.returncode == 0 and "Usage: routr tasks" in short.stdout


def test_shell_completion_is_shown_installed_and_completes(tmp_path: Path) -> None:
    shown = run_routr("--show-completion", "bash")
    assert shown.returncode == 0 and "_ROUTR_COMPLETE=complete_bash" in shown.stdout
    home = tmp_path / "home"
    home.mkdir()
    installed = run_routr("--install-completion", "bash", env={"HOME": str(home)})
    assert installed.returncode == 0, installed.stderr
    script = home / ".bash_completions" / "routr.sh"
    assert script.is_file() and str(script) in (home / ".bashrc").read_text()
    # A real bash, with the installed script, completes `routr ta` and `routr attempts s`.
    bin_dir = Path(ROUTR).parent
    probe = (
        f"source {script}; COMP_WORDS=(routr ta); COMP_CWORD=1; _routr_completion routr; "
        'echo "${COMPREPLY[@]}"; COMP_WORDS=(routr attempts s); COMP_CWORD=2; '
        '_routr_completion routr; echo "${COMPREPLY[@]}"'
    )
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(home)}
    if "PYTHONPATH" in os.environ:  # a worktree under test, as the runner passes it on
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, env=env)
    assert done.stdout.split("\n")[:2] == ["tasks", "show"], done.stdout + done.stderr


def test_columns_is_honoured_when_piped() -> None:
    narrow = run_routr("tasks", "list", env={"COLUMNS": "60"})
    assert narrow.returncode == 0, narrow.stderr
    assert max(map(len, narrow.stdout.splitlines())) <= 60
    assert "py-" in narrow.stdout and "not shown at 60 columns" in narrow.stdout
    wide = run_routr("tasks", "list")  # piped, no COLUMNS: wide, every column kept
    ids = [line.split("│")[1].strip() for line in wide.stdout.splitlines() if line.startswith("│")]
    assert len([i for i in ids if i]) == 40 and "not shown" not in wide.stdout
    assert max(map(len, wide.stdout.splitlines())) <= 160


@pytest.mark.parametrize(
    "args", [("tasks", "list"), ("models", "list"), ("export", "leaderboard", "-h")]
)
def test_a_closed_pipe_ends_output_quietly(args: tuple[str, ...]) -> None:
    proc = subprocess.Popen(
        [str(ROUTR), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before the first line, like `| head -0`
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == "", err


def test_without_the_guard_a_closed_pipe_is_a_traceback() -> None:
    """Control: Python's own behaviour, which the guard replaces."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "print('x' * 100000)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    assert "BrokenPipeError" in proc.stderr.read()
    proc.wait(timeout=60)


@pytest.mark.parametrize("binary", [False, True])
def test_the_stdout_guard_drops_output_once_the_reader_is_gone(binary: bool) -> None:
    """In process, text and bytes (export streams bytes): the write that meets the closed
    pipe and every later one succeed and go nowhere; without the guard it raises."""
    import io

    from routr_cli.cli.conventions import GuardedStdout

    read_end, write_end = os.pipe()
    os.close(read_end)
    raw = io.TextIOWrapper(io.BufferedWriter(io.FileIO(write_end, "w")), encoding="utf-8")
    guarded = GuardedStdout(raw)
    try:
        for _ in range(3):
            if binary:
                guarded.buffer.write(b"x" * 100_000)
                guarded.buffer.flush()
            else:
                guarded.write("x" * 100_000)
                guarded.flush()
        assert guarded.gone
        # Control: the same pipe without the guard raises.
        other_read, other_write = os.pipe()
        os.close(other_read)
        with pytest.raises(BrokenPipeError), open(other_write, "wb", buffering=0) as bare:
            bare.write(b"x")
    finally:
        raw.close()
