from __future__ import annotations

from pathlib import Path

import pytest

from routr_cli.bench.keys import Shard, attempt_key, parse_shard, plan_work, select_work
from routr_cli.bench.secrets import REDACTED, scrub_argv
from routr_cli.errors import ConfigError
from routr_cli.tasks.load import load_tasks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "good_tasks"


def test_attempt_key_is_a_stable_sha256_of_its_parts() -> None:
    key = attempt_key("abc", "sim/frontier", "edit", {"b": 2, "a": 1}, 0)
    # Pinned: a change here silently breaks resume and merges across versions. It is
    # sha256 of the canonical JSON {"epoch","model","params","solver","task"}.
    assert key == "1dff0c1d42ea56dae65611361e4b1b5ad11df2fdd6f14f339c57b4bda49ba922"
    assert key == attempt_key("abc", "sim/frontier", "edit", {"a": 1, "b": 2}, 0)
    others = {
        attempt_key("abd", "sim/frontier", "edit", {"a": 1, "b": 2}, 0),
        attempt_key("abc", "sim/swift", "edit", {"a": 1, "b": 2}, 0),
        attempt_key("abc", "sim/frontier", "repair", {"a": 1, "b": 2}, 0),
        attempt_key("abc", "sim/frontier", "edit", {"a": 1, "b": 3}, 0),
        attempt_key("abc", "sim/frontier", "edit", {"a": 1, "b": 2}, 1),
    }
    assert key not in others and len(others) == 5


def test_shards_partition_the_work_disjointly_and_roughly_evenly() -> None:
    keys = [attempt_key(f"task-{i}", "m/x", "edit", {}, 0) for i in range(400)]
    shards = [Shard(i, 4) for i in range(1, 5)]
    owned = [{k for k in keys if s.owns(k)} for s in shards]
    assert set().union(*owned) == set(keys)
    assert sum(len(o) for o in owned) == len(keys)  # disjoint
    assert all(60 <= len(o) <= 140 for o in owned), [len(o) for o in owned]
    assert all(Shard(1, 1).owns(k) for k in keys)


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", ""])
def test_bad_shards_are_config_errors(text: str) -> None:
    with pytest.raises(ConfigError, match="--shard"):
        parse_shard(text)


def test_parse_shard() -> None:
    assert parse_shard("2/4") == Shard(2, 4)
    assert str(parse_shard("1/1")) == "1/1"


def test_plan_and_resume_selection() -> None:
    tasks = load_tasks(FIXTURES)
    items = plan_work(tasks, ["sim/a", "sim/b"], 2, "edit", {})
    assert len(items) == len(tasks) * 2 * 2
    assert len({i.key for i in items}) == len(items)
    # epoch-major: every model meets every task of epoch 0 before epoch 1 starts
    assert [i.epoch for i in items] == sorted(i.epoch for i in items)
    recorded = {items[0].key, items[3].key}
    selection = select_work(items, None, recorded)
    assert selection.already_recorded == 2
    assert [i.key for i in selection.todo] == [i.key for i in items if i.key not in recorded]
    assert selection.keys == [i.key for i in items]
    sharded = select_work(items, Shard(1, 2), recorded)
    other = select_work(items, Shard(2, 2), recorded)
    assert sharded.other_shards == len(other.keys)
    assert set(sharded.keys) | set(other.keys) == {i.key for i in items}


def test_argv_is_scrubbed_of_key_looking_values() -> None:
    env = {"OPENAI_API_KEY": "abcdefgh12345678", "HOME": "/root"}
    argv = [
        "routr", "bench", "-m", "openai/gpt-4.1", "--api-key", "sk-live-1234567890",
        "--token=hf_abcdefghijklmnopqrstuvwxyz", "--note", "abcdefgh12345678",
        "--header", "Authorization: Bearer xyz.secret", "--db", "/root/r.duckdb",
    ]  # fmt: skip
    scrubbed = scrub_argv(argv, env)
    text = " ".join(scrubbed)
    for secret in ("sk-live", "hf_abc", "abcdefgh12345678", "xyz.secret"):
        assert secret not in text
    assert scrubbed[:4] == ["routr", "bench", "-m", "openai/gpt-4.1"]
    assert scrubbed[4:6] == ["--api-key", REDACTED]
    assert scrubbed[6] == f"--token={REDACTED}"
    assert scrubbed[-2:] == ["--db", "/root/r.duckdb"]


def test_argv_drops_the_value_of_a_custom_key_variable_named_by_the_config() -> None:
    env = {"ACME_CREDENTIAL": "acme-0123456789\n", "HOME": "/root"}  # pasted with a newline
    argv = ["routr", "bench", "--tasks", "/tmp/acme-0123456789/tasks"]
    assert scrub_argv(argv, env) == argv  # the name alone does not say it is a key
    scrubbed = scrub_argv(argv, env, secret_vars=["ACME_CREDENTIAL", "UNSET_VAR"])
    assert scrubbed == ["routr", "bench", "--tasks", f"/tmp/{REDACTED}/tasks"]


def test_cache_keys_separate_models_epochs_and_requests_and_responses_round_trip() -> None:
    from routr_cli.bench.cache import cache_key, response_from_json, response_to_json
    from routr_cli.providers.base import ChatRequest, ChatResponse, Message, Usage

    request = ChatRequest(model="x", messages=(Message("user", "fix the bug"),), max_tokens=100)
    base = cache_key("sim/a", 0, request)
    assert base == cache_key("sim/a", 0, ChatRequest("x", (Message("user", "fix the bug"),), 100))
    assert base != cache_key("sim/b", 0, request)
    assert base != cache_key("sim/a", 1, request)  # an epoch is a fresh sample
    assert base != cache_key("sim/a", 0, ChatRequest("x", (Message("user", "other"),), 100))
    response = ChatResponse("text", Usage(10, 5, 2), "x", "stop", 1.25, None, 0.001, 1)
    assert response_from_json(response_to_json(response)) == response


def test_sample_spreads_over_categories_and_is_seeded() -> None:
    from dataclasses import replace

    from routr_cli.bench.keys import sample_tasks

    (base, _other) = load_tasks(FIXTURES)
    tasks = [
        replace(base, id=f"{category}-{i}", category=category)
        for category in ("bugfix", "feature", "security")
        for i in range(4)
    ]
    picked = sample_tasks(tasks, 5, seed=1)
    assert len(picked) == 5
    counts = {c: sum(t.category == c for t in picked) for c in ("bugfix", "feature", "security")}
    assert sorted(counts.values()) == [1, 2, 2]
    assert [t.id for t in sample_tasks(tasks, 5, seed=1)] == [t.id for t in picked]
    seeds = {tuple(t.id for t in sample_tasks(tasks, 5, seed=s)) for s in range(10)}
    assert len(seeds) > 1
    assert len(sample_tasks(tasks, 50, seed=0)) == len(tasks)


def test_the_key_hashes_the_solver_defaults_not_only_what_was_typed() -> None:
    from routr_cli.bench.session import effective_solver_params
    from routr_cli.solvers import get_solver

    defaults = effective_solver_params(get_solver("edit"), {})
    assert defaults["edit_format"] == "search-replace" and "answer_tokens" in defaults
    whole = effective_solver_params(
        get_solver("edit", edit_format="whole"), {"edit_format": "whole"}
    )
    assert whole == {**defaults, "edit_format": "whole"}
    # Typing the default explicitly is the same attempt; another default is not.
    explicit = {"edit_format": "search-replace"}
    assert effective_solver_params(get_solver("edit", **explicit), explicit) == defaults
    key = attempt_key("abc", "m/x", "edit", defaults, 0)
    assert key != attempt_key("abc", "m/x", "edit", whole, 0)
