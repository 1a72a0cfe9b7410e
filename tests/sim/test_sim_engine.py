"""The simulated models' answers: seeded, realistic, and right exactly when the draw says."""

from __future__ import annotations

from pathlib import Path

import pytest

from routr_cli.errors import ConfigError, UnknownModelError
from routr_cli.providers.sim import display_name, get_sim_model, is_simulated, load_sim_models
from routr_cli.providers.sim.answers import uniform, wrong_answer
from routr_cli.providers.sim.catalog import MISTAKE_KINDS
from routr_cli.providers.sim.engine import SimEngine, SimReply, SimRequestError
from routr_cli.solvers.edit_format import EditError, apply_answer
from routr_cli.solvers.edit_render import render_file
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import CATEGORIES, apply_change

FIXTURES = Path(__file__).parents[1] / "fixtures" / "solver_tasks"
TASK = load_task(FIXTURES / "py-stats-median")
REPO_SHOWN = "Fix it.\n\n" + "\n".join(render_file(p, t) for p, t in TASK.repo_files().items())


def body(
    model: str = "sim/swift", epoch: int = 0, turn: int = 1, fmt: str = "search-replace"
) -> dict[str, object]:
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": REPO_SHOWN},
        ],
        "metadata": {
            "routr_task": TASK.id,
            "routr_task_hash": TASK.content_hash,
            "routr_epoch": str(epoch),
            "routr_turn": str(turn),
            "routr_edit_format": fmt,
        },
    }


def no_errors_engine(seed: int) -> SimEngine:
    engine = SimEngine(FIXTURES, seed=seed, latency_scale=0.0)
    return engine


def answer(engine: SimEngine, **kw: object) -> tuple[str, str]:
    """(text, kind), retrying injected errors the way a client would."""
    for _ in range(20):
        try:
            reply = engine.handle(body(**kw))  # type: ignore[arg-type]
        except SimRequestError as exc:
            assert exc.status in (429, 500)
            continue
        return reply.text, reply.answer_kind
    raise AssertionError("twenty injected errors in a row")


def test_catalog_has_four_labelled_models_covering_every_category() -> None:
    models = load_sim_models()
    assert {"sim/frontier", "sim/budget", "sim/swift", "sim/flaky"} <= set(models)
    for m in models.values():
        assert is_simulated(m.name) and display_name(m.name).endswith("(simulated)")
        assert all(c in m.skill for c in CATEGORIES)
        assert set(m.mistakes) <= set(MISTAKE_KINDS)
    assert models["sim/frontier"].input_usd_per_mtok > models["sim/budget"].input_usd_per_mtok
    assert models["sim/swift"].tokens_per_second > models["sim/frontier"].tokens_per_second
    assert models["sim/flaky"].rate_limited_rate > models["sim/swift"].rate_limited_rate
    assert not is_simulated("openai/gpt-4.1") and display_name("openai/x") == "openai/x"


def test_unknown_sim_model_suggests_a_name() -> None:
    with pytest.raises(UnknownModelError, match="did you mean 'sim/swift'"):
        get_sim_model("sim/swfit")


def test_success_probability_follows_skill_difficulty_and_repair_bonus() -> None:
    m = get_sim_model("frontier")
    easy = m.success_probability("bugfix", "easy", 1)
    hard = m.success_probability("bugfix", "hard", 1)
    assert easy == pytest.approx(m.skill["bugfix"]) and hard < easy
    assert m.success_probability("bugfix", "hard", 2) == pytest.approx(hard + m.repair_bonus)
    assert m.success_probability("my-own-label", "easy", 1) == pytest.approx(m.skill["default"])


def test_bad_models_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "models.toml"
    bad.write_text('[models."frontier"]\n')
    with pytest.raises(ConfigError, match="must start with 'sim/'") as info:
        load_sim_models(bad)
    assert str(info.value).startswith(f"{bad}: ")  # the file that was read, not the bundled one


def test_same_seed_same_answers_and_different_seeds_differ() -> None:
    def run(seed: int) -> list[str]:
        engine = no_errors_engine(seed)
        return [
            answer(engine, model=m, epoch=e)[1]
            for m in ("sim/swift", "sim/budget")
            for e in range(12)
        ]

    first = run(1)
    assert run(1) == first
    assert run(2) != first
    assert "reference" in first and any(k != "reference" for k in first)


@pytest.mark.parametrize("fmt", ["search-replace", "whole"])
def test_a_correct_answer_reproduces_the_reference_solution_exactly(fmt: str) -> None:
    engine = no_errors_engine(0)
    repo = TASK.repo_files()
    target = apply_change(repo, TASK.solution_change())
    seen = 0
    for epoch in range(30):
        text, kind = answer(engine, model="sim/frontier", epoch=epoch, fmt=fmt)
        if kind == "reference":
            assert apply_answer(repo, text) == target
            seen += 1
    assert seen >= 10  # frontier's easy-bugfix skill is 0.92


@pytest.mark.parametrize("kind", MISTAKE_KINDS)
@pytest.mark.parametrize("fmt", ["search-replace", "whole"])
def test_every_mistake_is_wrong_in_its_own_way(kind: str, fmt: str) -> None:
    repo = TASK.repo_files()
    target = apply_change(repo, TASK.solution_change())
    wrong = wrong_answer(repo, target, fmt, kind, 0.3)  # type: ignore[arg-type]
    assert not wrong.correct
    if fmt == "whole" and kind == "stale_search":
        assert wrong.kind != "stale_search"  # falls to the next kind that fits
    else:
        assert wrong.kind == kind
    try:
        state = apply_answer(repo, wrong.text)
    except EditError as exc:
        assert wrong.kind in ("malformed", "stale_search"), exc
        return
    assert wrong.kind not in ("malformed", "stale_search")
    assert state != target
    if wrong.kind == "syntax_error":
        assert ")( # unfinished edit" in state["stats/core.py"]
    if wrong.kind == "wrong_file":
        assert state["stats/core.py"] == repo["stats/core.py"]


def test_repair_turn_answers_against_the_state_the_first_answer_left() -> None:
    engine = no_errors_engine(0)
    repo = TASK.repo_files()
    target = apply_change(repo, TASK.solution_change())
    first = wrong_answer(repo, target, "search-replace", "partial", 0.1).text
    state = apply_answer(repo, first)
    request = body(model="sim/frontier", turn=2)
    request["messages"] = [
        *request["messages"],  # type: ignore[list-item]
        {"role": "assistant", "content": first},
        {"role": "user", "content": "tests failed"},
    ]
    for seed in range(40):
        engine = no_errors_engine(seed)
        try:
            reply = engine.handle(request)
        except SimRequestError:
            continue
        if reply.answer_kind == "reference":
            assert apply_answer(state, reply.text) == target
            return
    raise AssertionError("no successful repair draw in 40 seeds")


def test_uniform_is_stable_across_runs() -> None:
    assert uniform(0, "sim/swift", "abc", 1, 1) == uniform(0, "sim/swift", "abc", 1, 1)
    assert 0.0 <= uniform("x") < 1.0


def test_content_parts_are_read_and_a_non_text_part_is_a_400() -> None:
    from routr_cli.providers.sim.engine import _messages

    parts = [{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {}}]
    assert _messages({"messages": [{"role": "user", "content": parts}]}) == [("user", "a")]
    bad = [*parts, {"type": "text", "text": 5}]
    with pytest.raises(SimRequestError) as info:
        _messages({"messages": [{"role": "user", "content": bad}]})
    assert info.value.status == 400 and info.value.body["error"]["code"] == "invalid_messages"


def _chat(engine: SimEngine, model: str, text: str) -> SimReply:
    for _ in range(10):
        try:
            return engine.handle({"model": model, "messages": [{"role": "user", "content": text}]})
        except SimRequestError:
            continue
    raise AssertionError("ten injected errors in a row")


def test_any_chat_gets_a_deterministic_reply_naming_the_model() -> None:
    engine = no_errors_engine(0)
    reply = _chat(engine, "swift", "hi there")
    assert reply.model == "sim/swift" and reply.answer_kind == "plain"
    assert reply.text.startswith("sim/swift (simulated)")
    assert _chat(no_errors_engine(5), "swift", "hi there").text == reply.text  # any seed
    assert _chat(engine, "swift", "something else").text != reply.text
    other = _chat(engine, "frontier", "hi there")
    assert other.text.startswith("sim/frontier (simulated)") and other.text != reply.text
    # it takes the model's latency: first token, then its tokens at its speed
    model = get_sim_model("sim/swift")
    reply = _chat(SimEngine(FIXTURES, seed=0, latency_scale=1.0), "swift", "hi there")
    assert reply.ttft_s == model.ttft_s
    assert reply.total_s == pytest.approx(
        model.ttft_s + reply.completion_tokens / model.tokens_per_second
    )


def test_task_mismatch_unknown_task_and_context_overflow_are_400s() -> None:
    engine = no_errors_engine(0)
    stale = body(model="sim/frontier")
    stale["metadata"]["routr_task_hash"] = "0" * 16  # type: ignore[index]
    unknown = body(model="sim/frontier")
    unknown["metadata"]["routr_task"] = "no-such-task"  # type: ignore[index]
    huge = {"model": "sim/budget", "messages": [{"role": "user", "content": "x" * 200_000}]}
    for request, code in (
        (stale, "task_version_mismatch"),
        (unknown, "unknown_task"),
        (huge, "context_length_exceeded"),
    ):
        for _ in range(10):
            try:
                engine.handle(request)
            except SimRequestError as exc:
                if exc.status in (429, 500):
                    continue
                assert exc.status == 400 and exc.body["error"]["code"] == code
                break
        else:
            raise AssertionError(code)


def test_error_injection_matches_the_configured_rates() -> None:
    engine = no_errors_engine(7)
    model = get_sim_model("sim/flaky")
    counts = {429: 0, 500: 0, 200: 0}
    n = 600
    for i in range(n):
        request = {"model": "sim/flaky", "messages": [{"role": "user", "content": f"hello {i}"}]}
        try:
            engine.handle(request)
            counts[200] += 1
        except SimRequestError as exc:
            counts[exc.status] += 1
            if exc.status == 429:
                assert float(exc.headers["Retry-After"]) == 0.0  # latency_scale 0
    assert abs(counts[429] / n - model.rate_limited_rate) < 0.05
    assert abs(counts[500] / n - model.server_error_rate) < 0.05


def test_a_retried_request_is_a_new_draw() -> None:
    engine = no_errors_engine(3)
    request = {"model": "sim/flaky", "messages": [{"role": "user", "content": "same"}]}
    outcomes = []
    for _ in range(30):
        try:
            engine.handle(request)
            outcomes.append(200)
        except SimRequestError as exc:
            outcomes.append(exc.status)
    assert 200 in outcomes and len(set(outcomes)) > 1


def test_usage_and_latency_follow_the_model_figures() -> None:
    engine = SimEngine(FIXTURES, seed=0, latency_scale=1.0)
    model = get_sim_model("sim/frontier")
    for _ in range(10):
        try:
            reply = engine.handle(body(model="sim/frontier"))
        except SimRequestError:
            continue
        # ceil(chars / 4) + 4 per message: "sys" and the repository message
        assert reply.prompt_tokens == (1 + 4) + (-(-len(REPO_SHOWN) // 4) + 4)
        assert reply.completion_tokens == -(-len(reply.text) // 4)
        expected = model.ttft_s + reply.completion_tokens / model.tokens_per_second
        assert reply.total_s == pytest.approx(expected)
        assert reply.cached_tokens == 0  # short prefix: nothing cached
        return
    raise AssertionError("ten injected errors in a row")


def test_max_tokens_truncates_with_finish_reason_length() -> None:
    engine = no_errors_engine(0)
    request = body(model="sim/frontier")
    request["max_tokens"] = 10
    for _ in range(10):
        try:
            reply = engine.handle(request)
        except SimRequestError:
            continue
        assert reply.finish_reason == "length" and len(reply.text) == 40
        return
    raise AssertionError("ten injected errors in a row")


def _bundled_tasks() -> list[Path]:
    from routr_cli.tasks.load import load_tasks_lenient

    root = Path(__file__).parents[2] / "tasks"
    return [t.path for t in load_tasks_lenient(root)[0]] if root.is_dir() else []


@pytest.mark.parametrize(
    "folder", [FIXTURES / "py-stats-median", *_bundled_tasks()], ids=lambda p: p.name
)
def test_wrong_answers_on_every_task_never_reproduce_the_solution(folder: Path) -> None:
    task = load_task(folder)
    repo = task.repo_files()
    target = apply_change(repo, task.solution_change())
    for fmt in ("search-replace", "whole"):
        for n, kind in enumerate(MISTAKE_KINDS):
            wrong = wrong_answer(repo, target, fmt, kind, n / len(MISTAKE_KINDS))  # type: ignore[arg-type]
            try:
                state = apply_answer(repo, wrong.text)
            except EditError:
                assert wrong.kind in ("malformed", "stale_search")
                continue
            assert state != target, (fmt, wrong.kind)


def test_a_task_edited_on_disk_is_reread_when_the_hash_says_so(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURES / TASK.id, tmp_path / TASK.id)
    engine = SimEngine(tmp_path, seed=0, latency_scale=0.0)

    def ask(task_hash: str) -> None:
        request = body(model="sim/frontier")
        request["metadata"]["routr_task_hash"] = task_hash  # type: ignore[index]
        for _ in range(10):
            try:
                engine.handle(request)
                return
            except SimRequestError as exc:
                if exc.status not in (429, 500):
                    raise

    ask(TASK.content_hash)
    (tmp_path / TASK.id / "repo" / "README.md").write_text("# stats, edited\n")
    new_hash = load_task(tmp_path / TASK.id).content_hash
    assert new_hash != TASK.content_hash
    ask(new_hash)  # the server rereads its copy
    with pytest.raises(SimRequestError, match="differs from the sim server's copy"):
        ask(TASK.content_hash)


def test_a_model_cannot_fix_a_file_it_was_not_shown() -> None:
    hidden_core = REPO_SHOWN.replace(TASK.repo_files()["stats/core.py"], "")
    kinds = set()
    for seed in range(30):
        engine = no_errors_engine(seed)
        request = body(model="sim/frontier")
        request["messages"][1]["content"] = hidden_core  # type: ignore[index]
        for _ in range(10):
            try:
                kinds.add(engine.handle(request).answer_kind)
                break
            except SimRequestError:
                continue
    assert "reference" not in kinds and kinds
