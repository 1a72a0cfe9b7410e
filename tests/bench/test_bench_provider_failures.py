"""Provider failures are shown, a configuration failure stops its model with exit 5, and
resume re-attempts recorded provider errors. Real CLI processes, real HTTP on 127.0.0.1
(a closed port, the fake vendor answering 404 ``model_not_found``), real Docker grading
for the simulated model that runs alongside."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from providers.fake_vendor_server import FakeVendor, Reply

from routr_cli.bench.failures import failure_kind, is_configuration_failure
from routr_cli.paths import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "good_tasks"


def _bench(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    return subprocess.run(
        [sys.executable, "-m", "routr_cli", "bench", "--tasks", str(FIXTURES),
         "--sim-latency", "0", *args],
        capture_output=True, text=True, env={**base, **env}, timeout=300,
    )  # fmt: skip


def _count(db: Path, where: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM attempts WHERE {where}").fetchone()[0])
    finally:
        con.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def test_configuration_failures_are_told_from_other_failures() -> None:
    auth = "AuthenticationError: openai: authentication failed (HTTP 401) -- check OPENAI_API_KEY"
    missing = (
        "ProviderError: openai: not found (HTTP 404, model_not_found): The model `x` does not "
        "exist -- check the model id and base_url"
    )
    down = "ProviderUnavailableError: lmstudio: cannot reach the server (ConnectError) -- check"
    busy = "ProviderUnavailableError: openai: service unavailable (HTTP 503) -- retry later"
    assert failure_kind(auth) == "AuthenticationError"
    assert failure_kind("unexpected KeyError: 'x'") == "KeyError"
    assert is_configuration_failure(auth, model_answered=True)
    assert is_configuration_failure(missing, model_answered=True)
    assert is_configuration_failure(down, model_answered=False)
    # once the host answered, an outage is transient: recorded, the run goes on
    assert not is_configuration_failure(down, model_answered=True)
    assert not is_configuration_failure(busy, model_answered=False)
    assert not is_configuration_failure(
        "ContextLengthError: openai: prompt exceeds the model's context window",
        model_answered=False,
    )


@pytest.mark.docker
def test_a_closed_port_is_shown_stops_its_model_unrecorded_and_exits_5(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    env = {"ROUTR_LMSTUDIO_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v1"}
    result = _bench(env, "-m", "lmstudio/local-model", "-m", "sim/frontier", "--db", str(db),
                    "--jobs", "1", "--json", "-")  # fmt: skip
    assert result.returncode == 5, result.stderr
    assert "cannot reach the server" in result.stderr  # the message, on screen
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: lmstudio: cannot reach the server")
    assert "lmstudio/local-model: 2 attempts not recorded" in last
    assert "run the same command again" in last
    assert "Traceback" not in result.stderr
    # the other model ran to the end; nothing of the misconfigured one was recorded
    assert _count(db, "model = 'sim/frontier'") == 2
    assert _count(db, "model = 'lmstudio/local-model'") == 0
    report = json.loads(result.stdout)  # `--json -`: the report on standard output
    assert report["summary"]["models"]["sim/frontier"]["attempts"] == 2
    assert not (tmp_path / "-").exists()


@pytest.mark.docker
def test_an_unknown_model_is_shown_and_exits_5_and_resume_retries_errors(
    tmp_path: Path,
) -> None:
    db = tmp_path / "r.duckdb"
    not_found = Reply.status_error(
        404,
        {"error": {"message": "The model `gpt-nope` does not exist", "code": "model_not_found"}},
    )
    with FakeVendor() as vendor:
        env = {"ROUTR_OPENAI_BASE_URL": f"{vendor.url}/v1", "OPENAI_API_KEY": "sk-test-unknown1"}
        vendor.script(*[not_found] * 20)
        result = _bench(env, "-m", "openai/gpt-nope", "--db", str(db), "--jobs", "1")
        assert result.returncode == 5, result.stderr
        assert "The model `gpt-nope` does not exist" in result.stderr
        assert "check the model id" in result.stderr
        assert len(vendor.requests) == 1  # 404 is final, and the second task never called
        assert _count(db, "true") == 0

        # A provider error recorded earlier (a 503 outage once the model had answered) is
        # attempted again by a plain resume; --keep-errors keeps it.
        vendor.clear_script()
        down = Reply.status_error(503, {"error": {"message": "overloaded"}})
        vendor.script(Reply(), *[down] * 8)
        first = _bench(env, "-m", "openai/gpt-4.1-mini", "--db", str(db), "--jobs", "1")
        assert first.returncode == 0, first.stderr
        assert "openai/gpt-4.1-mini: provider error: ProviderUnavailableError" in first.stderr
        assert first.stderr.count("provider error:") == 1  # once per model and kind
        assert _count(db, "status = 'provider_error'") == 1
        kept = _bench(env, "-m", "openai/gpt-4.1-mini", "--db", str(db), "--keep-errors")
        assert "2 attempts already recorded" in kept.stderr, kept.stderr
        vendor.clear_script()
        retried = _bench(env, "-m", "openai/gpt-4.1-mini", "--db", str(db))
    assert retried.returncode == 0, retried.stderr
    assert "1 attempt recorded as provider errors: attempting them again" in retried.stderr
    assert _count(db, "status = 'provider_error'") == 0
    assert _count(db, "true") == 2
