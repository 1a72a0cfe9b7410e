"""`routr sim serve` and `routr sim models` as a user runs them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import openai

FIXTURES = Path(__file__).parents[1] / "fixtures" / "solver_tasks"
ROUTR = [sys.executable, "-m", "routr_cli"]


def test_serve_answers_over_http_and_stops_cleanly_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [
            *ROUTR,
            "sim",
            "serve",
            "--port",
            "0",
            "--tasks",
            str(FIXTURES),
            "--seed",
            "3",
            "--no-latency",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        banner = proc.stderr.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/v1)", banner)
        assert match, banner
        base_url = match.group(1)
        assert "sim/" in banner and "seed 3" in banner
        sdk = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=10)
        reply = sdk.chat.completions.create(
            model="sim/frontier", messages=[{"role": "user", "content": "hello"}]
        )
        assert reply.model == "sim/frontier" and "simulated" in (
            reply.choices[0].message.content or ""
        )
        assert httpx.get(f"{base_url}/models").status_code == 200
        sdk.close()
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)  # seconds at most; the bound only matters on a busy host
    assert code == 0


def test_serve_with_a_missing_tasks_folder_is_a_one_line_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [*ROUTR, "sim", "serve", "--tasks", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "pass --tasks DIR" in done.stderr


def test_models_lists_the_simulated_models_as_json_and_as_a_labelled_table() -> None:
    done = subprocess.run(
        [*ROUTR, "sim", "models", "--json"], capture_output=True, text=True, timeout=30
    )
    rows = json.loads(done.stdout)
    assert {r["name"] for r in rows} >= {"sim/frontier", "sim/budget", "sim/swift", "sim/flaky"}
    assert all(r["simulated"] and r["label"] == f"{r['name']} (simulated)" for r in rows)
    table = subprocess.run([*ROUTR, "sim", "models"], capture_output=True, text=True, timeout=30)
    assert "(simulated)" in table.stdout
