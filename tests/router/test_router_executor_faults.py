"""The executor against fault-injecting vendors on 127.0.0.1 (real HTTP, OpenAI format).

Each scenario ends with the complete answer or a clean error inside its time bound, and
the next call works. ``primary`` is the ``openai`` provider's server, ``fallback`` the
``openrouter`` provider's: two providers, so the fallback chain crosses vendors.
"""

from __future__ import annotations

import json
import time

import pytest
from providers.fake_vendor_server import FakeVendor, Reply, openai_events
from providers.provider_test_settings import drain
from router_support import FAKE_KEY, FALLBACK, PRIMARY, THIRD, cand, chain

from routr_cli.providers.base import Message
from routr_cli.providers.pricing import cost_usd
from routr_cli.router.breaker import BreakerBoard
from routr_cli.router.executor import CallResult, Executor

ASK = (Message("user", "Write a function that merges two sorted lists."),)
ANSWER = "Hello from the fake vendor."


def models_called(vendor: FakeVendor) -> list[str]:
    return [str(r.body.get("model")) for r in vendor.requests]


def next_call_works(executor: Executor, vendor_count: int, vendor: FakeVendor) -> None:
    """After any scenario the very next call is answered (by someone), promptly."""
    started = time.monotonic()
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.text == ANSWER, result.error
    assert time.monotonic() - started < 2.0
    assert len(vendor.requests) >= vendor_count


def test_429_with_retry_after_is_honoured_on_the_same_candidate(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply.status_error(429, retry_after="1"))
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == PRIMARY
    first, second = primary.requests[0].arrived, primary.requests[1].arrived
    assert second - first >= 1.0  # the server said "wait 1 s": never called back sooner
    assert result.attempts[-1].retries == 1 and not fallback.requests
    next_call_works(executor, 3, primary)


def test_429_without_retry_after_is_bounded_then_falls_over(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(*[Reply.status_error(429)] * 10)
    started = time.monotonic()
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK
    assert len(primary.requests) == 3  # max_attempts, not a hammering loop
    assert [a.status for a in result.attempts] == ["error", "ok"]
    assert result.attempts[0].error_class == "RateLimitedError"
    assert time.monotonic() - started < 2.0
    primary.clear_script()
    next_call_works(executor, 4, primary)


def test_500_once_then_healthy_retries_the_same_candidate(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply.status_error(500))
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == PRIMARY and result.attempts[0].retries == 1
    assert len(primary.requests) == 2 and not fallback.requests
    next_call_works(executor, 3, primary)


def test_503_every_time_is_bounded_then_the_fallback_serves(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(*[Reply.status_error(503)] * 3)
    started = time.monotonic()
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK and result.text == ANSWER
    assert len(primary.requests) == 3 and len(fallback.requests) == 1
    assert result.attempts[0].error_class == "ProviderUnavailableError"
    assert time.monotonic() - started < 2.0
    next_call_works(executor, 4, primary)


def test_connection_reset_before_headers_is_retried(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply(kind="reset"))
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == PRIMARY and result.attempts[-1].retries == 1
    primary.script(*[Reply(kind="reset")] * 3)
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK
    assert result.attempts[0].error_class in ("ProviderUnavailableError", "MalformedResponseError")
    next_call_works(executor, 6, primary)


def test_silent_candidate_is_bounded_by_its_share_of_the_deadline(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(*[Reply(kind="hang")] * 5)
    started = time.monotonic()
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    elapsed = time.monotonic() - started
    assert result.ok and result.served_model == FALLBACK
    assert elapsed < executor.settings.candidate_s + 1.0  # not retried past its share
    assert result.attempts[0].error_class == "ProviderTimeoutError"
    primary.clear_script()
    next_call_works(executor, 1, fallback)


def test_a_silent_last_candidate_ends_with_a_clean_error_inside_the_deadline(
    executor: Executor, primary: FakeVendor
) -> None:
    primary.script(*[Reply(kind="hang")] * 20)
    started = time.monotonic()
    result = executor.complete([cand(PRIMARY)], ASK)
    assert not result.ok and result.exit_code == 5
    assert result.error_class == "ProviderTimeoutError"
    assert time.monotonic() - started < executor.settings.deadline_s + 1.0


def test_slow_first_token_within_the_limit_is_served_not_failed_over(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply(delay_s=0.3))
    deltas, result = drain(executor.stream(chain(PRIMARY, FALLBACK), ASK))
    assert result.ok and result.served_model == PRIMARY and "".join(deltas) == ANSWER
    assert result.ttft_s is not None and result.ttft_s >= 0.3
    assert not fallback.requests


@pytest.mark.parametrize(
    "reply",
    [
        Reply(kind="cut", events_before_fault=4),  # ends cleanly, no finish, no [DONE]
        Reply(kind="stall", events_before_fault=4),  # stops sending, connection open
        Reply(kind="abort", events_before_fault=4),  # a chunk promised, never finished
    ],
    ids=["cut", "stall", "abort"],
)
def test_stream_failing_after_text_is_an_explicit_error_not_a_short_answer(
    reply: Reply, executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(reply)
    started = time.monotonic()
    deltas, result = drain(executor.stream(chain(PRIMARY, FALLBACK), ASK))
    assert deltas and "".join(deltas) != ANSWER  # the caller saw the beginning only
    assert not result.ok and result.partial and result.exit_code == 5
    assert "incomplete" in (result.error or "")
    assert not fallback.requests  # no silent switch once text went out
    assert result.cost_usd is None  # a broken answer is not billed as a completion
    assert time.monotonic() - started < 2.0
    next_call_works(executor, 2, primary)


def test_malformed_chunk_after_text_is_an_explicit_error(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    events = openai_events("gpt-4.1", Reply())
    events.insert(4, "data: {not json\n\n")
    primary.script(Reply(events=tuple(events)))
    deltas, result = drain(executor.stream(chain(PRIMARY, FALLBACK), ASK))
    assert deltas and not result.ok and result.partial
    assert result.attempts[-1].error_class == "MalformedResponseError"
    assert not fallback.requests
    next_call_works(executor, 2, primary)


def test_failure_before_any_text_fails_over_transparently_when_streaming(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(*[Reply(kind="stall", events_before_fault=1)] * 3)
    deltas, result = drain(executor.stream(chain(PRIMARY, FALLBACK), ASK))
    assert result.ok and result.served_model == FALLBACK and "".join(deltas) == ANSWER
    assert len(primary.requests) == 3


def test_stream_complete_without_done_finishes_promptly(
    executor: Executor, primary: FakeVendor
) -> None:
    events = [e for e in openai_events("gpt-4.1", Reply()) if "[DONE]" not in e]
    # every event, then the server holds the connection open without [DONE]
    primary.script(Reply(kind="stall", events=tuple(events), events_before_fault=len(events)))
    started = time.monotonic()
    deltas, result = drain(executor.stream([cand(PRIMARY)], ASK))
    assert result.ok and "".join(deltas) == ANSWER and result.usage.output_tokens == 30
    # finished at the usage chunk: waiting for [DONE] would have hit the stall limit and
    # ended as an error after text, not as this complete answer
    assert time.monotonic() - started < executor.settings.first_byte_s
    # and one that closes the connection after its finish chunk (no usage, no [DONE])
    short = [e for e in events if '"usage"' not in e]
    primary.script(Reply(events=tuple(short)))
    deltas, result = drain(executor.stream([cand(PRIMARY)], ASK))
    assert result.ok and "".join(deltas) == ANSWER


def test_context_length_is_never_retried_on_the_same_model(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    body = {
        "error": {"message": "maximum context length exceeded", "code": "context_length_exceeded"}
    }
    primary.script(Reply.status_error(400, body))
    small, also_small, large = cand(PRIMARY, 8000), cand(THIRD, 8000), cand(FALLBACK, 128000)
    result = executor.complete([small, also_small, large], ASK)
    assert result.ok and result.served_model == FALLBACK
    assert len(primary.requests) == 1  # neither retried nor tried on the no-larger window
    assert [a.status for a in result.attempts] == ["error", "skipped", "ok"]
    assert result.attempts[0].error_class == "ContextLengthError"
    next_call_works(executor, 2, primary)


def test_content_filter_is_kept_as_the_reason_and_falls_over(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply(finish="content_filter"))
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK
    assert len(primary.requests) == 1
    assert result.attempts[0].error_class == "ContentFilteredError"
    assert "content filter" in result.attempts[0].message
    next_call_works(executor, 2, primary)


def test_fallback_rejecting_an_assistant_prefill(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    prefill = (*ASK, Message("assistant", "def merge("))
    rejection = {"error": {"message": "assistant prefill is not supported", "code": "invalid"}}
    primary.script(*[Reply.status_error(503)] * 3)
    fallback.script(Reply.status_error(400, rejection))
    result = executor.complete(chain(PRIMARY, FALLBACK), prefill)
    assert not result.ok and result.exit_code == 5 and len(fallback.requests) == 1
    assert "prefill" in result.attempts[-1].message
    # with a third candidate the call is still answered
    primary.script(*[Reply.status_error(503)] * 3)
    fallback.script(Reply.status_error(400, rejection))
    result = executor.complete(chain(PRIMARY, FALLBACK, THIRD), prefill)
    assert result.ok and result.served_model == THIRD
    next_call_works(executor, 1, fallback)


def test_primary_down_then_recovers_breaker_opens_probes_and_closes(
    executor: Executor, breakers: BreakerBoard, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(*[Reply.status_error(503)] * 9)  # three calls' worth of retries
    for _ in range(3):
        result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
        assert result.ok and result.served_model == FALLBACK
    assert breakers.status(PRIMARY).state == "open"
    before = len(primary.requests)
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK
    assert len(primary.requests) == before  # an open circuit is skipped without a call
    assert (
        result.attempts[0].status == "skipped" and result.attempts[0].error_class == "CircuitOpen"
    )
    time.sleep(0.7)  # the cooldown passes; the primary has recovered meanwhile
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == PRIMARY  # the half-open probe succeeded
    assert breakers.status(PRIMARY).state == "closed"


def test_authentication_error_skips_the_provider_and_opens_for_long(
    executor: Executor, breakers: BreakerBoard, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply.status_error(401, {"error": {"message": f"bad key {FAKE_KEY}"}}))
    result = executor.complete(chain(PRIMARY, THIRD, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK
    assert len(primary.requests) == 1  # THIRD (same provider) skipped without a call
    assert [a.status for a in result.attempts] == ["error", "skipped", "ok"]
    assert FAKE_KEY not in json.dumps([a.as_json() for a in result.attempts])
    assert breakers.status(PRIMARY).open_for_s > 500
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.served_model == FALLBACK and len(primary.requests) == 1


def test_not_found_opens_that_models_breaker_for_long(
    executor: Executor, breakers: BreakerBoard, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(Reply.status_error(404, {"error": {"message": "no such model"}}))
    result = executor.complete(chain(PRIMARY, THIRD), ASK)
    assert result.ok and result.served_model == THIRD  # same provider, other model: fine
    assert breakers.status(PRIMARY).open_for_s > 500


def test_accounting_names_the_served_model_and_bills_only_it(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor
) -> None:
    primary.script(*[Reply.status_error(503)] * 3)
    deltas, result = drain(executor.stream(chain(PRIMARY, FALLBACK), ASK))
    assert isinstance(result, CallResult) and result.ok
    assert result.served_model == FALLBACK and "".join(deltas) == result.text == ANSWER
    assert result.usage.input_tokens == 120 and result.usage.output_tokens == 30
    assert result.cost_usd == pytest.approx(cost_usd(FALLBACK, result.usage))
    assert [a.model for a in result.attempts] == [PRIMARY, FALLBACK]
    assert result.attempts[0].status == "error"
    assert all(a.latency_s >= 0 for a in result.attempts)
    assert result.ttft_s is not None and result.ttft_s <= result.latency_s


def test_a_missing_key_skips_the_candidate_without_a_call(
    executor: Executor, primary: FakeVendor, fallback: FakeVendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    result = executor.complete(chain(PRIMARY, FALLBACK), ASK)
    assert result.ok and result.served_model == FALLBACK and not primary.requests
    assert result.attempts[0].error_class == "MissingKeyError"
