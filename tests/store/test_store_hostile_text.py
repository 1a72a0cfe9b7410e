"""A model's text reaches the store as it is, except what the store cannot hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from routr_cli.store.db import Store
from routr_cli.store.records import AttemptRecord, CacheEntry
from routr_cli.store.write import record_attempt, to_json


def test_a_lone_surrogate_in_a_transcript_is_recorded_as_a_replacement_character(
    tmp_path: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    hostile = "FILE: pkg/\ud800.py and a real pair \U0001f600"
    attempt = make_attempt(
        "k1",
        transcript=[{"role": "assistant", "content": hostile}],
        error_message="edit 1: \udfff",
        new_cache_entries=(CacheEntry("c1", "sim/alpha", {"text": hostile}),),
    )
    with Store.open(tmp_path / "r.duckdb") as store:
        assert record_attempt(store, attempt)
        transcript, error = store.con.execute(
            "SELECT transcript, error_message FROM attempts"
        ).fetchone()
        cached = store.con.execute("SELECT response FROM response_cache").fetchone()[0]
    content = json.loads(transcript)[0]["content"]
    assert content == "FILE: pkg/\ufffd.py and a real pair \U0001f600"
    assert error == "edit 1: \ufffd"
    assert json.loads(cached)["text"] == content


def test_to_json_leaves_valid_text_byte_for_byte() -> None:
    value = {"b": ["\U0001f600", "\\ud800 as text"], "a": 1}
    assert to_json(value, sort_keys=True) == json.dumps(value, sort_keys=True)
