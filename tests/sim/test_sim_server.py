"""The sim server over real HTTP on 127.0.0.1, spoken to by the official openai SDK and httpx."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from routr_cli.providers.sim import start_sim_server
from routr_cli.providers.sim.server import SimServerHandle
from routr_cli.solvers.edit_format import apply_answer
from routr_cli.solvers.edit_render import render_file
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import apply_change

FIXTURES = Path(__file__).parents[1] / "fixtures" / "solver_tasks"
TASK = load_task(FIXTURES / "py-stats-median")


@pytest.fixture
def server() -> Iterator[SimServerHandle]:
    with start_sim_server(FIXTURES, seed=0, latency_scale=0.0) as handle:
        yield handle


def client(server: SimServerHandle) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=8)


def metadata(epoch: int) -> dict[str, str]:
    return {
        "routr_task": TASK.id,
        "routr_task_hash": TASK.content_hash,
        "routr_epoch": str(epoch),
        "routr_turn": "1",
        "routr_edit_format": "search-replace",
    }


REPO_SHOWN = "\n".join(render_file(p, t) for p, t in TASK.repo_files().items())
MESSAGES = [{"role": "user", "content": "Fix the median.\n\n" + REPO_SHOWN}]


def test_models_endpoint_lists_the_simulated_models(server: SimServerHandle) -> None:
    ids = [m.id for m in client(server).models.list()]
    assert {"sim/frontier", "sim/budget", "sim/swift", "sim/flaky"} <= set(ids)


def test_non_streaming_completion_with_the_sdk(server: SimServerHandle) -> None:
    repo = TASK.repo_files()
    target = apply_change(repo, TASK.solution_change())
    results = []
    for epoch in range(6):
        reply = client(server).chat.completions.create(
            model="frontier",
            messages=MESSAGES,
            metadata=metadata(epoch),  # type: ignore[arg-type]
        )
        assert reply.model == "sim/frontier"
        assert reply.usage is not None and reply.usage.completion_tokens > 0
        text = reply.choices[0].message.content or ""
        assert reply.choices[0].finish_reason == "stop"
        try:
            results.append(apply_answer(repo, text) == target)
        except Exception:
            results.append(False)
    assert any(results)


def test_streaming_completion_with_usage_and_done(server: SimServerHandle) -> None:
    sdk = client(server)
    plain = sdk.chat.completions.create(
        model="sim/swift",
        messages=MESSAGES,
        metadata=metadata(0),  # type: ignore[arg-type]
    )
    stream = sdk.chat.completions.create(
        model="sim/swift",
        messages=MESSAGES,
        metadata=metadata(0),
        stream=True,  # type: ignore[arg-type]
        stream_options={"include_usage": True},
    )
    pieces, usage, finish = [], None, None
    for chunk in stream:
        assert chunk.model == "sim/swift"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            finish = choice.finish_reason or finish
    assert "".join(pieces) == plain.choices[0].message.content  # same draw, same answer
    assert finish == "stop"
    assert usage is not None and plain.usage is not None
    assert usage.completion_tokens == plain.usage.completion_tokens


def test_raw_sse_framing_ends_with_done(server: SimServerHandle) -> None:
    body = {"model": "sim/swift", "messages": MESSAGES, "stream": True}
    for _ in range(10):
        with httpx.stream("POST", f"{server.base_url}/chat/completions", json=body) as resp:
            if resp.status_code != 200:
                continue
            assert resp.headers["content-type"] == "text/event-stream"
            events = [line for line in resp.iter_lines() if line]
        assert events[-1] == "data: [DONE]"
        chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-1]]
        assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
        assert not any("usage" in c for c in chunks)  # only with include_usage
        return
    raise AssertionError("no 200 in ten tries")


def test_errors_use_openai_shapes_and_retry_after(server: SimServerHandle) -> None:
    seen = set()
    with httpx.Client(base_url=server.base_url) as http:
        missing = http.post("/chat/completions", json={"model": "sim/nope", "messages": MESSAGES})
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"
        bad = http.post(
            "/chat/completions", content=b"not json", headers={"content-type": "application/json"}
        )
        assert bad.status_code == 400
        for i in range(200):
            resp = http.post(
                "/chat/completions",
                json={"model": "sim/flaky", "messages": [{"role": "user", "content": str(i)}]},
            )
            seen.add(resp.status_code)
            if resp.status_code == 429:
                assert (
                    "Retry-After" in resp.headers
                    and resp.json()["error"]["code"] == "rate_limit_exceeded"
                )
            if resp.status_code == 500:
                assert resp.json()["error"]["type"] == "server_error"
    assert seen == {200, 429, 500}


def test_sdk_maps_context_overflow_to_bad_request(server: SimServerHandle) -> None:
    with pytest.raises(openai.BadRequestError, match="maximum context length"):
        client(server).chat.completions.create(
            model="sim/budget", messages=[{"role": "user", "content": "x" * 200_000}]
        )


def test_latency_is_played_out_when_scaled() -> None:
    with start_sim_server(FIXTURES, seed=0, latency_scale=0.2) as handle:
        sdk = openai.OpenAI(base_url=handle.base_url, api_key="unused", max_retries=8)
        started = time.monotonic()
        sdk.chat.completions.create(model="sim/frontier", messages=MESSAGES)
        elapsed = time.monotonic() - started
    assert elapsed >= 1.5 * 0.2  # at least frontier's scaled time to first token


def test_close_frees_the_port() -> None:
    handle = start_sim_server(None, seed=0, latency_scale=0.0)
    url = handle.base_url
    assert httpx.get(f"{url}/models").status_code == 200
    handle.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/models", timeout=2)


def test_a_bad_content_length_is_a_400_not_a_dropped_connection(server: SimServerHandle) -> None:
    import socket

    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: twelve\r\n\r\n{}"
        )
        reply = b""
        while chunk := sock.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400 ")
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1])["error"]["code"] == "invalid_body"


def test_a_bug_in_the_engine_is_a_500_answer_not_a_dropped_connection(
    server: SimServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(body: object) -> object:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(server._server.engine, "handle", broken)
    body = {"model": "sim/swift", "messages": MESSAGES}
    resp = httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=10)
    assert resp.status_code == 500
    assert resp.json()["error"]["type"] == "server_error"
