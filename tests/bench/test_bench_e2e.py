"""``routr bench`` end to end: real CLI processes, the real sim server over HTTP, real
Docker grading, real DuckDB files. Marked ``docker``: they run in ``make test``."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import duckdb
import pytest
from openai_stub import read_request, send_completion, serve

from routr_cli.paths import PROJECT_ROOT
from routr_cli.tasks.load import load_tasks_lenient

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"
BUNDLED = PROJECT_ROOT / "tasks"

pytestmark = pytest.mark.docker


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    env["ROUTR_REPORTS"] = str(tmp_path / "reports")
    env.update(extra)
    return env


def _bench(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "routr_cli", "bench", *args],
        capture_output=True,
        text=True,
        env=env or _env(tmp_path),
        timeout=600,
    )


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_bench_records_attempts_and_a_rerun_adds_nothing(tmp_path: Path) -> None:
    loaded, _errors = load_tasks_lenient(BUNDLED)
    python = sorted((t for t in loaded if t.image == "python"), key=lambda t: t.id)
    ids = [t.id for t in python[:2]]
    assert len(ids) == 2, "the bundled suite needs at least two valid Python tasks"
    db = tmp_path / "r.duckdb"
    args = ["-m", "sim/frontier", "-m", "sim/budget", "--tasks", str(BUNDLED), "--db", str(db),
            "--sim-latency", "0", "--jobs", "2"]  # fmt: skip
    for task_id in ids:
        args += ["--task", task_id]
    first = _bench(tmp_path, *args, "--json", str(tmp_path / "run.json"))
    assert first.returncode == 0, first.stderr
    rows = _rows(
        db,
        "SELECT task_id, model, status, input_tokens, output_tokens, cost_usd, latency_s, "
        "grade_duration_s, simulated, json_array_length(transcript) FROM attempts",
    )
    assert len(rows) == 4
    assert {(r[0], r[1]) for r in rows} == {
        (t, m) for t in ids for m in ("sim/frontier", "sim/budget")
    }
    for row in rows:
        status, tokens_in, tokens_out, cost, latency, grading, simulated, turns = row[2:]
        assert status in {"solved", "failed", "malformed_edit", "unappliable_edit"}
        assert tokens_in > 0 and tokens_out > 0
        assert cost is not None and cost > 0
        assert latency > 0
        assert simulated and turns >= 2
        if status in {"solved", "failed"}:  # an edit that parsed and applied was graded
            assert grading > 0
    assert any(r[2] in {"solved", "failed"} for r in rows)
    assert _rows(db, "SELECT count(*) FROM task_snapshots")[0][0] >= 2
    # Every attempt names the exact task version it graded, and that version is on record.
    by_id = {t.id: t.content_hash for t in python}
    graded = _rows(
        db,
        "SELECT a.task_id, a.task_hash, s.task_id FROM attempts a "
        "LEFT JOIN task_snapshots s USING (task_hash)",
    )
    assert graded and all(h == by_id[t] and s == t for t, h, s in graded)
    assert _rows(db, "SELECT count(*) FROM attempt_tests")[0][0] > 0
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["summary"]["attempts"] == 4 and len(report["attempts"]) == 4

    again = _bench(tmp_path, *args)
    assert again.returncode == 0, again.stderr
    assert "4 attempts already recorded" in again.stderr
    assert "0 new attempts" in again.stderr
    assert _rows(db, "SELECT count(*) FROM attempts")[0][0] == 4
    assert _rows(db, "SELECT count(*) FROM runs")[0][0] == 2

    ranked = subprocess.run(
        [sys.executable, "-m", "routr_cli", "rank", "--db", str(db), "--json"],
        capture_output=True, text=True, env=_env(tmp_path), timeout=60, check=True,
    )  # fmt: skip
    board = json.loads(ranked.stdout)
    overall = [s for s in board if s["category"] == "all"]
    assert {s["model"] for s in overall} == {"sim/frontier", "sim/budget"}
    assert all(s["simulated"] and s["attempts"] == 2 for s in overall)


class _Answering(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that is back up, answering with prose (no edits)."""

    def do_POST(self) -> None:
        read_request(self)
        send_completion(self, "I would refactor it.")

    def log_message(self, *args: Any) -> None:
        pass


class _Failing(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that is down: every call is a 500."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"error": {"message": "upstream exploded", "type": "server_error"}})
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def failing_server() -> Iterator[str]:
    with serve(_Failing) as url:
        yield url


def test_a_failing_provider_is_recorded_and_the_run_completes(
    tmp_path: Path, failing_server: str
) -> None:
    db = tmp_path / "r.duckdb"
    env = _env(tmp_path, ROUTR_LMSTUDIO_BASE_URL=failing_server)
    junit = tmp_path / "bench.xml"
    result = _bench(
        tmp_path,
        "-m", "lmstudio/local-model", "-m", "sim/frontier", "--tasks", str(FIXTURES),
        "--db", str(db), "--sim-latency", "0", "--junit", str(junit), "--json",
        str(tmp_path / "b.json"), "--fail-under", "0.9",
        env=env,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # half the attempts errored: below 0.9
    assert "below --fail-under" in result.stderr
    statuses = dict(_rows(db, "SELECT model, list(DISTINCT status) FROM attempts GROUP BY model"))
    assert statuses["lmstudio/local-model"] == ["provider_error"]
    assert "provider_error" not in statuses["sim/frontier"]
    messages = _rows(db, "SELECT error_message FROM attempts WHERE status = 'provider_error'")
    assert len(messages) == 2 and all("500" in m[0] or "exploded" in m[0] for m in messages)

    suites = ET.parse(junit).getroot()
    cases = suites.findall("./testsuite/testcase")
    assert len(cases) == 4
    errored = [c for c in cases if c.find("error") is not None]
    assert {c.get("classname") for c in errored} == {"lmstudio/local-model"}
    assert {c.get("name") for c in errored} == {"good-py-median/0", "good-py-slug/0"}
    assert suites.find("testsuite").get("errors") == "2"  # type: ignore[union-attr]

    rate = json.loads((tmp_path / "b.json").read_text())["summary"]["pass_rate"]
    ok = _bench(tmp_path, "-m", "lmstudio/local-model", "-m", "sim/frontier", "--tasks",
                str(FIXTURES), "--db", str(db), "--fail-under", f"{rate:.3f}", env=env)  # fmt: skip
    assert ok.returncode == 0, ok.stderr  # resumed: same scope, rate equals the threshold


def _start_and_wait(
    tmp_path: Path, db: Path, lines_before_signal: int, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "routr_cli", "bench", "-m", "sim/swift", "-m", "sim/budget",
         "--tasks", str(FIXTURES), "--db", str(db), "--epochs", "3", "--jobs", "1",
         "--sim-latency", "0.3"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        env=env or _env(tmp_path),
    )  # fmt: skip
    assert proc.stderr is not None
    seen = 0
    deadline = time.monotonic() + 300
    while seen < lines_before_signal and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line.startswith("[")
    assert seen == lines_before_signal, "bench ended before it could be interrupted"
    return proc


PLANNED = 2 * 2 * 3  # fixture tasks x models x epochs


def _running_containers_of(pid: int) -> list[str]:
    """Names of the running Routr containers that the process ``pid`` started."""
    out = subprocess.run(
        ["docker", "ps", "--filter", "label=routr.managed=true", "--filter",
         f"label=routr.owner.pid={pid}", "--format", "{{.Names}}"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout  # fmt: skip
    return out.split()


def _wait_until_no_container_of(pid: int, seen: list[str], limit_s: float = 60.0) -> float:
    """Poll ``docker ps`` until ``pid`` has no running container; the seconds it took."""
    started = time.monotonic()
    while True:
        left = _running_containers_of(pid)
        if not left:
            return time.monotonic() - started
        seen.extend(n for n in left if n not in seen)
        assert time.monotonic() - started < limit_s, f"containers outlived routr: {left}"
        time.sleep(0.2)


def _wait_for_a_grading_container(pid: int) -> list[str]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        names = _running_containers_of(pid)
        if names:
            return names
        time.sleep(0.02)
    raise AssertionError("no grading container appeared")


def test_a_killed_bench_resumes_with_only_the_missing_attempts(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    proc = _start_and_wait(tmp_path, db, lines_before_signal=3)
    alive = _wait_for_a_grading_container(proc.pid)  # killed mid-grading: the hard case
    proc.send_signal(signal.SIGKILL)  # no clean-up at all: the worst case
    proc.wait(timeout=30)
    # The container ends itself when its owner dies (its stdin lifeline closes).
    took = _wait_until_no_container_of(proc.pid, list(alive))
    assert took < 60
    kept = {r[0] for r in _rows(db, "SELECT attempt_key FROM attempts")}
    assert 3 <= len(kept) < PLANNED  # SIGKILL loses only what was in flight

    rerun = _bench(tmp_path, "-m", "sim/swift", "-m", "sim/budget", "--tasks", str(FIXTURES),
                   "--db", str(db), "--epochs", "3", "--jobs", "2", "--sim-latency", "0")  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(kept)} attempts already recorded" in rerun.stderr
    assert f"{PLANNED - len(kept)} new attempts" in rerun.stderr
    keys = [r[0] for r in _rows(db, "SELECT attempt_key FROM attempts")]
    assert len(keys) == len(set(keys)) == PLANNED
    assert kept <= set(keys)
    # The resume's first Docker use reaped the stopped orphan (its owner is gone).
    leftovers = subprocess.run(
        ["docker", "ps", "-a", "--filter", f"label=routr.owner.pid={proc.pid}", "-q"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout.split()  # fmt: skip
    assert leftovers == []
    assert (
        _rows(db, "SELECT count(DISTINCT (task_id, model, epoch)) FROM attempts")[0][0] == PLANNED
    )


def test_ctrl_c_keeps_finished_attempts_removes_containers_and_exits_130(
    tmp_path: Path,
) -> None:
    db = tmp_path / "r.duckdb"
    proxy = DockerSocketProxy(tmp_path / "docker.sock")
    try:
        env = _env(tmp_path, DOCKER_HOST=f"unix://{proxy.path}")
        proc = _start_and_wait(tmp_path, db, lines_before_signal=2, env=env)
        # Interrupt while a grading container of the third attempt exists.
        before = len(proxy.created)
        deadline = time.monotonic() + 60
        while len(proxy.created) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(proxy.created) > before, "no grading started after the second attempt"
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=120)
        assert proxy.created and not proxy.existing(), "containers left behind after Ctrl-C"
    finally:
        proxy.kill()
        proxy.remove_created()
    assert proc.returncode == 130, err
    assert "resume with the same command" in err
    assert "Traceback" not in err
    recorded = _rows(db, "SELECT count(*) FROM attempts")[0][0]
    assert 2 <= recorded < PLANNED
    status = _rows(db, "SELECT status FROM runs")
    assert status == [("interrupted",)]


def test_readers_watch_a_running_bench_at_most_a_few_seconds_stale(tmp_path: Path) -> None:
    """`routr db info` and `routr rank` read the database while a bench writes it."""
    db = tmp_path / "r.duckdb"
    proc = _start_and_wait(tmp_path, db, lines_before_signal=1)
    assert proc.stderr is not None
    seen = 1
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True)
    reader.start()  # keep draining the progress lines meanwhile
    checks = 0
    try:
        while proc.poll() is None and checks < 2:
            time.sleep(0.5)
            seen = 1 + sum(line.startswith("[") for line in list(lines))
            info = subprocess.run(
                [sys.executable, "-m", "routr_cli", "db", "info", "--db", str(db), "--json"],
                capture_output=True, text=True, env=_env(tmp_path), timeout=60,
            )  # fmt: skip
            assert info.returncode == 0, info.stderr
            assert json.loads(info.stdout)["attempts"] >= seen
            rank = subprocess.run(
                [sys.executable, "-m", "routr_cli", "rank", "--db", str(db)],
                capture_output=True, text=True, env=_env(tmp_path), timeout=60,
            )  # fmt: skip
            assert rank.returncode == 0, rank.stderr
            checks += 1
    finally:
        proc.send_signal(signal.SIGINT)  # enough watched: stop instead of finishing
        proc.wait(timeout=120)
        reader.join(timeout=10)
    assert checks == 2, "the bench ended before readers could watch it"
    assert proc.returncode == 130, "".join(lines)
    # nothing was lost while readers were let in: every attempt shown is recorded
    shown = 1 + sum(line.startswith("[") for line in lines)
    assert _rows(db, "SELECT count(*) FROM attempts")[0][0] == shown


def test_sigterm_stops_like_ctrl_c_with_143_and_leaves_no_container(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    proc = _start_and_wait(tmp_path, db, lines_before_signal=2)
    _wait_for_a_grading_container(proc.pid)
    proc.send_signal(signal.SIGTERM)  # what CI runners and `docker stop` send
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "SIGTERM" in err and "resume with the same command" in err
    assert "Traceback" not in err
    assert _running_containers_of(proc.pid) == []
    assert _rows(db, "SELECT status FROM runs") == [("interrupted",)]
    recorded = _rows(db, "SELECT count(*) FROM attempts")[0][0]
    assert 2 <= recorded < PLANNED
    rerun = _bench(tmp_path, "-m", "sim/swift", "-m", "sim/budget", "--tasks", str(FIXTURES),
                   "--db", str(db), "--epochs", "3", "--jobs", "2", "--sim-latency", "0")  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert f"{PLANNED - recorded} new attempts" in rerun.stderr
    assert _rows(db, "SELECT count(*) FROM attempts")[0][0] == PLANNED


def test_shards_merge_into_the_unsharded_result(tmp_path: Path) -> None:
    common = ["-m", "sim/swift", "-m", "sim/budget", "--tasks", str(FIXTURES), "--epochs", "2",
              "--sim-latency", "0", "--jobs", "2"]  # fmt: skip
    shards = []
    for index in (1, 2):
        db = tmp_path / f"shard{index}.duckdb"
        result = _bench(tmp_path, *common, "--db", str(db), "--shard", f"{index}/2")
        assert result.returncode == 0, result.stderr
        assert "shard" in result.stderr
        shards.append(db)
    keys = [{r[0] for r in _rows(db, "SELECT attempt_key FROM attempts")} for db in shards]
    assert keys[0] and keys[1] and not keys[0] & keys[1]
    out = tmp_path / "merged.duckdb"
    merged = subprocess.run(
        [sys.executable, "-m", "routr_cli", "db", "merge", *map(str, shards), "-o", str(out)],
        capture_output=True, text=True, env=_env(tmp_path), timeout=60,
    )  # fmt: skip
    assert merged.returncode == 0, merged.stderr
    assert _rows(out, "SELECT count(*) FROM attempts")[0][0] == 2 * 2 * 2
    assert {r[0] for r in _rows(out, "SELECT attempt_key FROM attempts")} == keys[0] | keys[1]
    # The merged database is complete: an unsharded run against it has nothing to do.
    full = _bench(tmp_path, *common, "--db", str(out))
    assert full.returncode == 0, full.stderr
    assert "8 attempts already recorded" in full.stderr


def test_docker_down_at_start_is_one_line_before_any_model_call(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    env = _env(tmp_path, DOCKER_HOST=f"unix://{tmp_path}/no-docker.sock")
    result = _bench(tmp_path, "-m", "sim/swift", "--tasks", str(FIXTURES), "--db", str(db),
                    "--sim-latency", "0", env=env)  # fmt: skip
    assert result.returncode == 3
    assert result.stderr.startswith("error: Docker engine is not running")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert _rows(db, "SELECT count(*) FROM attempts")[0][0] == 0


class DockerSocketProxy:
    """A Unix-socket proxy to the real Docker engine that can 'die' on demand.

    It notes the containers created through it (from the create requests' ``name=``),
    so the test removes exactly those afterwards and nobody else's.
    """

    def __init__(self, path: Path, target: str = "/var/run/docker.sock") -> None:
        import re
        import socket

        self._re = re.compile(rb"containers/create\?name=([A-Za-z0-9_.-]+)")
        self.path = path
        self.target = target
        self.created: set[str] = set()
        self._conns: list[Any] = []
        self._lock = threading.Lock()
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(path))
        self._server.listen(64)
        self.dead = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while not self.dead:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self.target)
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: Any, dst: Any, requests: bool) -> None:
        """Copy one direction; pass a half-close on (exec streams end stdin that way)."""
        import socket

        try:
            while data := src.recv(65536):
                if requests:
                    self.created.update(m.decode() for m in self._re.findall(data))
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.close()

    def kill(self) -> None:
        """The engine 'dies': no new connections, open ones cut."""
        import socket

        self.dead = True
        self._server.close()
        with self._lock:
            for sock in self._conns:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def existing(self) -> set[str]:
        """The containers created through this proxy that still exist."""
        import docker

        client = docker.DockerClient(base_url=f"unix://{self.target}")
        alive = {c.name for c in client.containers.list(all=True)}
        return self.created & alive

    def remove_created(self) -> None:
        import docker

        client = docker.DockerClient(base_url=f"unix://{self.target}")
        for name in self.created:
            with contextlib.suppress(docker.errors.NotFound):
                client.containers.get(name).remove(force=True)


def test_docker_dying_mid_run_stops_with_one_line_and_keeps_attempts(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    proxy = DockerSocketProxy(tmp_path / "docker.sock")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "routr_cli", "bench", "-m", "sim/swift", "-m", "sim/budget",
             "--tasks", str(FIXTURES), "--db", str(db), "--epochs", "3", "--jobs", "1",
             "--sim-latency", "0.3"],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            env=_env(tmp_path, DOCKER_HOST=f"unix://{proxy.path}"),
        )  # fmt: skip
        assert proc.stderr is not None
        while not proc.stderr.readline().startswith("[1/"):
            assert proc.poll() is None, "bench ended early"
        proxy.kill()
        err = proc.stderr.read()
        proc.wait(timeout=120)
    finally:
        proxy.kill()
        proxy.remove_created()
    assert proc.returncode == 3, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: sandbox failed") and "resume with the same command" in last
    assert "Traceback" not in err
    recorded = _rows(db, "SELECT status FROM attempts")
    assert 1 <= len(recorded) < PLANNED
    assert ("sandbox_error",) not in recorded
    assert _rows(db, "SELECT status FROM runs") == [("failed",)]


def test_resume_replaces_provider_errors_once_the_provider_is_back(
    tmp_path: Path, failing_server: str
) -> None:
    db = tmp_path / "r.duckdb"
    args = ["-m", "lmstudio/local-model", "--tasks", str(FIXTURES), "--db", str(db)]
    down = _bench(tmp_path, *args, env=_env(tmp_path, ROUTR_LMSTUDIO_BASE_URL=failing_server))
    assert down.returncode == 0, down.stderr
    assert _rows(db, "SELECT DISTINCT status FROM attempts") == [("provider_error",)]
    with serve(_Answering) as url:
        env = _env(tmp_path, ROUTR_LMSTUDIO_BASE_URL=url)
        kept = _bench(tmp_path, *args, "--keep-errors", env=env)
        assert "2 attempts already recorded" in kept.stderr  # --keep-errors skips them
        retried = _bench(tmp_path, *args, env=env)  # resume retries errors by default
    assert retried.returncode == 0, retried.stderr
    assert "2 new attempts" in retried.stderr
    rows = _rows(db, "SELECT status, input_tokens FROM attempts")
    assert rows == [("malformed_edit", 50)] * 2


SECRET_KEY = "sk-routr-test-0123456789abcdefSECRET"


class _EchoingAuth(BaseHTTPRequestHandler):
    """A vendor that rejects the key and quotes it back in full (some do, partly)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        sent = self.headers.get("Authorization", "")
        body = json.dumps({"error": {"message": f"Incorrect API key provided: {sent}"}})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        pass


def test_an_api_key_never_reaches_the_database_or_the_output(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    report = tmp_path / "b.json"
    junit = tmp_path / f"{SECRET_KEY}.xml"  # the key in argv too: the stored argv drops it
    with serve(_EchoingAuth) as url:
        env = _env(tmp_path, ROUTR_OPENAI_BASE_URL=url, OPENAI_API_KEY=SECRET_KEY)
        result = _bench(
            tmp_path, "-m", "openai/gpt-4.1-mini", "--tasks", str(FIXTURES), "--db", str(db),
            "--json", str(report), "--junit", str(junit), env=env,
        )  # fmt: skip
    # A refused key is a configuration failure: shown (redacted), nothing recorded, exit 5.
    assert result.returncode == 5, result.stderr
    assert "authentication failed (HTTP 401)" in result.stderr
    assert "check OPENAI_API_KEY" in result.stderr.strip().splitlines()[-1]
    assert _rows(db, "SELECT count(*) FROM attempts") == [(0,)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        dumps = [
            str(con.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("runs", "attempts", "attempt_tests", "response_cache", "task_snapshots")
        ]
    finally:
        con.close()
    assert "[redacted]" in dumps[0]  # runs.argv
    for text in [*dumps, result.stdout, result.stderr, report.read_text(), junit.read_text()]:
        assert SECRET_KEY not in text
        assert "0123456789abcdefSECRET" not in text
