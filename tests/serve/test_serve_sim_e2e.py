"""The issue's headline: the official SDK against a real `routr serve` process answers from
the simulated models, streamed and not, and `model` names the model that served."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from routr_cli_runner import ROUTR
from serve_support import wait_for_health
from sim_standings import write_sim_standings

CONCURRENCY = "Fix a data race in a Go worker pool: goroutines write a shared map."
DATA = "Parse a CSV file, group the rows by customer and aggregate monthly totals."


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "standings.duckdb"
    write_sim_standings(db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTR_")}
    server = subprocess.Popen(
        [str(ROUTR), "serve", "--no-auth", "--port", str(port), "--db", str(db),
         "--log-dir", str(tmp_path / "logs"), "--sim-latency", "0"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, server, ready=lambda r: bool(r.json().get("standings")))
        yield url + "/v1"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def test_the_sdk_is_answered_by_simulated_models_streamed_and_not(served: str) -> None:
    client = openai.OpenAI(base_url=served, api_key="unused", max_retries=0, timeout=20)
    raw = client.chat.completions.with_raw_response.create(
        model="routr/auto", messages=[{"role": "user", "content": CONCURRENCY}]
    )
    answer = raw.parse()
    assert answer.model == "sim/frontier" and raw.headers["x-routr-simulated"] == "true"
    assert "frontier" in (answer.choices[0].message.content or "")
    chunks = list(
        client.chat.completions.create(
            model="routr/auto", messages=[{"role": "user", "content": DATA}], stream=True
        )
    )
    assert {c.model for c in chunks} == {"sim/swift"}
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "swift" in text
