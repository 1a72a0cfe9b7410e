"""What every sandbox backend must guarantee, written against the Sandbox protocol only.

Runs hostile code on purpose (fork bomb, memory hog, endless loop, escape attempts) and
checks that it is contained, reported as data, and leaves the sandbox and host fine.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from routr_cli.grading import grade_change, grade_reference, grade_repo_only
from routr_cli.sandbox.base import DEFAULT_OUTPUT_CAP, TRUNCATION_MARK, Sandbox, SandboxSpec
from routr_cli.tasks.model import Limits, Task

if TYPE_CHECKING:
    from conftest import BackendHarness

pytestmark = pytest.mark.docker

SMALL = SandboxSpec("python", Limits(cpus=1.0, memory_mb=256, pids=64))


def _processes(sandbox: Sandbox) -> set[str]:
    """``pid command`` of every process in the sandbox except the lister itself."""
    script = (
        "import os\n"
        "me = os.getpid()\n"
        "for pid in sorted(int(p) for p in os.listdir('/proc') if p.isdigit()):\n"
        "    if pid == me or pid == os.getppid():\n"
        "        continue\n"
        "    try:\n"
        "        cmd = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\\0', b' ')\n"
        "    except OSError:\n"
        "        continue\n"
        "    print(pid, cmd.decode().strip())\n"
    )
    result = sandbox.exec(["python", "-c", script], timeout=10)
    assert result.exit_code == 0, result.stderr
    return set(result.stdout.splitlines())


def _nothing_left_behind(sandbox: Sandbox, before: set[str]) -> None:
    """Every process now running was already running before the hostile command."""
    leftovers = _processes(sandbox) - before
    assert leftovers == set(), f"processes survived: {sorted(leftovers)}"


FORK_BOMB = (
    "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
)


def test_network_is_unreachable(harness: BackendHarness) -> None:
    probe = (
        "import socket, sys\n"
        "failures = 0\n"
        "for host, port in [('1.1.1.1', 53), ('172.17.0.1', 2375), ('10.0.0.1', 80)]:\n"
        "    s = socket.socket(); s.settimeout(3)\n"
        "    try:\n"
        "        s.connect((host, port)); print('CONNECTED', host)\n"
        "    except OSError as exc:\n"
        "        failures += 1; print('refused', host, exc)\n"
        "try:\n"
        "    socket.getaddrinfo('deb.debian.org', 80); print('RESOLVED')\n"
        "except OSError:\n"
        "    failures += 1\n"
        "sys.exit(0 if failures == 4 else 1)\n"
    )
    with harness.factory.open(SMALL) as sandbox:
        result = sandbox.exec(["python", "-c", probe], timeout=30)
        interfaces = sandbox.exec("cat /proc/net/dev", timeout=10).stdout
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "CONNECTED" not in result.stdout and "RESOLVED" not in result.stdout
    names = [line.split(":")[0].strip() for line in interfaces.splitlines() if ":" in line]
    assert names == ["lo"], f"the sandbox sees network interfaces {names}"


def test_fork_bomb_is_contained(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        before = _processes(sandbox)
        start = time.monotonic()
        bomb = sandbox.exec(["python", "-c", FORK_BOMB], timeout=4)
        elapsed = time.monotonic() - start
        assert bomb.timed_out and bomb.exit_code is None
        assert elapsed < 12, f"the fork bomb held the sandbox for {elapsed:.1f} s"
        after = sandbox.exec("echo alive", timeout=10)
        assert after.exit_code == 0 and after.stdout == "alive\n"
        _nothing_left_behind(sandbox, before)
        shell_bomb = sandbox.exec("f(){ f | f & }; f; sleep 60", timeout=4)
        assert not shell_bomb.ok
        assert sandbox.exec("echo alive", timeout=10).stdout == "alive\n"
    host = subprocess.run(["true"], check=False, timeout=10)
    assert host.returncode == 0


def test_memory_hog_is_killed_and_reported(harness: BackendHarness) -> None:
    hog = "python -c 'blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]'"
    with harness.factory.open(SMALL) as sandbox:
        result = sandbox.exec(hog, timeout=60)
        assert result.oom_killed, result
        assert not result.timed_out and result.exit_code != 0
        small = sandbox.exec("python -c 'x = bytearray(16 * 1024 * 1024); print(len(x))'", 30)
        assert small.exit_code == 0 and not small.oom_killed


def test_endless_loop_is_killed_at_the_timeout(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        before = _processes(sandbox)
        start = time.monotonic()
        result = sandbox.exec("while :; do :; done", timeout=2)
        elapsed = time.monotonic() - start
        assert result.timed_out and result.exit_code is None and not result.ok
        assert 2 <= elapsed < 8, elapsed
        _nothing_left_behind(sandbox, before)


def test_processes_that_escape_the_group_are_killed_too(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        before = _processes(sandbox)
        result = sandbox.exec(
            "setsid sh -c 'while :; do sleep 1; done' >/dev/null 2>&1 & "
            "setsid sleep 1000 & sleep 1000",
            timeout=2,
        )
        assert result.timed_out
        _nothing_left_behind(sandbox, before)


def test_only_work_and_tmp_are_writable(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        for directory in ("/", "/etc", "/usr", "/usr/local/bin", "/root", "/var"):
            attempt = sandbox.exec(f"touch {directory}/routr-probe", timeout=10)
            assert attempt.exit_code != 0, f"{directory} is writable"
        for directory in ("/work", "/tmp"):
            attempt = sandbox.exec(f"echo ok > {directory}/probe && cat {directory}/probe", 10)
            assert attempt.exit_code == 0 and attempt.stdout == "ok\n", attempt


def test_runs_as_non_root_and_cannot_gain_privileges(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        uid = sandbox.exec("id -u", timeout=10)
        status = sandbox.exec("cat /proc/self/status", timeout=10).stdout
        setuid = sandbox.exec(["python", "-c", "import os; os.setuid(0)"], timeout=10)
    assert uid.exit_code == 0 and uid.stdout.strip() != "0"
    fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    assert fields["NoNewPrivs"].strip() == "1"
    for capability_set in ("CapEff", "CapPrm", "CapBnd"):
        assert int(fields[capability_set], 16) == 0, f"{capability_set} = {fields[capability_set]}"
    assert setuid.exit_code != 0 and "PermissionError" in setuid.stderr


def test_files_round_trip(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        sandbox.write_files({"pkg/a.txt": "alpha\n", "pkg/deep/b.bin": b"\x00\x01", "c.txt": "é"})
        assert sandbox.read_file("/work/pkg/a.txt") == "alpha\n"
        assert sandbox.read_file("/work/c.txt") == "é"
        assert sandbox.read_file("/work/missing.txt") is None
        sandbox.remove(["pkg", "not-there"])
        assert sandbox.read_file("/work/pkg/a.txt") is None
        assert sandbox.read_file("/work/c.txt") == "é"
        sandbox.write_files({"note.txt": "x"}, root="/tmp")
        assert sandbox.read_file("/tmp/note.txt") == "x"
        with pytest.raises(ValueError):
            sandbox.write_files({"../escape.txt": "x"})


def test_non_zero_exit_is_data(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        result = sandbox.exec("echo out; echo err >&2; exit 7", timeout=10, env={"K": "v"})
        env = sandbox.exec("echo $K", timeout=10, env={"K": "v"})
    assert result.exit_code == 7 and not result.ok and not result.timed_out
    assert result.stdout == "out\n" and result.stderr == "err\n"
    assert env.stdout == "v\n"


def test_output_is_capped_and_the_cut_marked(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as sandbox:
        result = sandbox.exec(["python", "-c", "print('A' * 300000 + 'Z' * 300000)"], timeout=30)
    assert result.exit_code == 0 and result.truncated
    assert TRUNCATION_MARK in result.stdout
    assert len(result.stdout) <= DEFAULT_OUTPUT_CAP + len(TRUNCATION_MARK)
    assert result.stdout.startswith("AAAA") and result.stdout.rstrip().endswith("ZZZZ")


def test_host_is_unaffected(harness: BackendHarness, tmp_path: Path) -> None:
    target = tmp_path / "written-by-sandbox"
    opened: list[Sandbox] = []
    with pytest.raises(RuntimeError), harness.factory.open(SMALL) as sandbox:
        opened.append(sandbox)
        # /tmp is the sandbox's own tmpfs: the write may succeed in there, never on the host.
        sandbox.exec(f"mkdir -p {tmp_path} && echo pwned > {target}", timeout=10)
        engine = sandbox.exec("ls /var/run/docker.sock /run/docker.sock", timeout=10)
        assert engine.exit_code != 0, "the Docker socket is reachable from the sandbox"
        raise RuntimeError("an exception inside the context still removes the sandbox")
    assert not target.exists()
    assert not os.listdir(tmp_path)
    assert opened and not harness.still_exists(opened[0])


def test_sandboxes_are_fresh_and_removed(harness: BackendHarness) -> None:
    with harness.factory.open(SMALL) as first:
        first.write_files({"left-behind.txt": "x"})
    with harness.factory.open(SMALL) as second:
        assert second.read_file("/work/left-behind.txt") is None
    assert not harness.still_exists(first) and not harness.still_exists(second)


def test_grading_discards_changes_to_tests(harness: BackendHarness, tiny_task: Task) -> None:
    task = tiny_task
    cheat = {
        "tests/test_calc.py": "def test_add():\n    pass\n\ndef test_negate():\n    pass\n",
        "tests/conftest.py": "raise SystemExit(0)\n",
    }
    cheated = grade_change(task, cheat, harness.factory)
    assert not cheated.solved and cheated.reason == "tests_failed"
    assert {t.id: t.outcome for t in cheated.tests} == {
        "tests.test_calc::test_add": "failed",
        "tests.test_calc::test_negate": "passed",
    }
    assert cheated.score == 0.5

    reference = grade_reference(task, harness.factory)
    assert reference.solved and reference.score == 1.0 and reference.reason is None
    assert "2 passed" in reference.output

    unchanged = grade_repo_only(task, harness.factory)
    assert not unchanged.solved and unchanged.exit_code == 1


def test_grading_reports_timeouts_and_unappliable_changes(
    harness: BackendHarness, tiny_task: Task
) -> None:
    task = dataclasses.replace(tiny_task, grade=dataclasses.replace(tiny_task.grade, timeout_s=3))
    hang = {"calc/__init__.py": "import time\ntime.sleep(600)\n"}
    slow = grade_change(task, hang, harness.factory, raise_sandbox_errors=True)
    assert slow.reason == "timeout" and slow.timed_out and not slow.solved
    assert slow.duration_s < task.grade.timeout_s + 15

    for bad in ({"/etc/passwd": "x"}, {"../outside.py": "x"}, {"calc/__init__.py/x": "y"}):
        graded = grade_change(task, bad, harness.factory)
        assert graded.reason == "unappliable" and not graded.solved, bad


def test_grading_reports_a_memory_hog_as_out_of_memory(
    harness: BackendHarness, tiny_task: Task
) -> None:
    task = dataclasses.replace(tiny_task, limits=SMALL.limits)
    hog = {"calc/__init__.py": "blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]\n"}
    graded = grade_change(task, hog, harness.factory, raise_sandbox_errors=True)
    assert graded.reason == "out_of_memory" and not graded.solved and not graded.timed_out
    assert graded.score == 0.0


def test_one_backend_grades_from_many_threads(harness: BackendHarness, tiny_task: Task) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        grades = list(pool.map(lambda _: grade_reference(tiny_task, harness.factory), range(6)))
    assert [g.reason for g in grades] == [None] * 6
    assert all(g.solved for g in grades)


def test_detached_process_hog_does_not_break_the_sandbox(harness: BackendHarness) -> None:
    hog = (
        "import os, time\n"
        "while True:\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(1000)\n"
        "    except OSError:\n"
        "        time.sleep(0.01)\n"
    )
    with harness.factory.open(SMALL) as sandbox:
        sandbox.write_files({"hog.py": hog})
        started = sandbox.exec("setsid python hog.py >/dev/null 2>&1 & echo started", 10)
        assert started.stdout == "started\n"
        time.sleep(1)
        after = sandbox.exec("echo alive", timeout=10)
        assert after.exit_code == 0 and after.stdout == "alive\n", after
        assert sandbox.read_file("/work/hog.py") == hog


def test_ctrl_c_inside_the_context_still_removes_the_sandbox(harness: BackendHarness) -> None:
    opened: list[Sandbox] = []
    with pytest.raises(KeyboardInterrupt), harness.factory.open(SMALL) as sandbox:
        opened.append(sandbox)
        assert harness.still_exists(sandbox)
        raise KeyboardInterrupt
    assert opened and not harness.still_exists(opened[0])


def test_code_that_kills_every_process_is_data(harness: BackendHarness, tiny_task: Task) -> None:
    with harness.factory.open(SMALL) as sandbox:
        killer = sandbox.exec(["python", "-c", "import os; os.kill(-1, 9)"], timeout=10)
        assert killer.exit_code != 0 and not killer.ok
        assert sandbox.read_file("/work/anything") is None
        later = sandbox.exec("echo after", timeout=10)
        assert not later.ok  # a stopped sandbox reports failures, never raises
    saboteur = {"calc/__init__.py": "import os\nos.kill(-1, 9)\n"}
    graded = grade_change(tiny_task, saboteur, harness.factory)
    assert not graded.solved and graded.reason in ("no_report", "tests_failed"), graded


FORGING_CONFTEST = """\
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    outcome.get_result().outcome = "passed"
"""


def test_grading_restores_test_harness_files(harness: BackendHarness, tiny_task: Task) -> None:
    forged = grade_change(tiny_task, {"conftest.py": FORGING_CONFTEST}, harness.factory)
    assert not forged.solved and forged.reason == "tests_failed"
    assert forged.restored == ("conftest.py",)
    assert "restored test-harness files" in forged.output

    # Without the restoration the canaries still catch it (the hook passes the must-fail
    # canary too); with both off, the control, the very same change forges a pass, so
    # the assertions above are about the defences, not about a hook that never worked.
    from routr_cli.grading.grader import ALL_DEFENCES

    caught = grade_change(
        tiny_task,
        {"conftest.py": FORGING_CONFTEST},
        harness.factory,
        defences=ALL_DEFENCES.without("restored_harness"),
    )
    assert not caught.solved and caught.reason == "tampered", caught
    unprotected = grade_change(
        tiny_task,
        {"conftest.py": FORGING_CONFTEST},
        harness.factory,
        defences=ALL_DEFENCES.without("restored_harness", "canaries"),
    )
    assert unprotected.solved and unprotected.restored == ()
