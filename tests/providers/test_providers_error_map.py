"""The one mapping from vendor failures to Routr's error tree, case by case."""

from __future__ import annotations

import json

import httpx
import pytest

from routr_cli.errors import (
    AuthenticationError,
    ContentFilteredError,
    ContextLengthError,
    MalformedResponseError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from routr_cli.providers.error_map import error_for_transport, error_from_body, excerpt


def body(error: dict[str, object]) -> str:
    return json.dumps({"error": error})


@pytest.mark.parametrize(
    ("status", "payload", "expected"),
    [
        (401, body({"message": "bad key", "code": "invalid_api_key"}), AuthenticationError),
        (403, body({"message": "no access", "status": "PERMISSION_DENIED"}), AuthenticationError),
        (429, body({"message": "slow", "code": "rate_limit_exceeded"}), RateLimitedError),
        (
            429,
            body({"message": "You exceeded your current quota", "code": "insufficient_quota"}),
            ProviderError,
        ),
        (402, body({"message": "Insufficient credits"}), ProviderError),
        (400, body({"message": "x", "code": "context_length_exceeded"}), ContextLengthError),
        (
            413,
            body({"type": "request_too_large", "message": "Request exceeds size"}),
            ContextLengthError,
        ),
        (
            400,
            body({"message": "content management policy", "code": "content_filter"}),
            ContentFilteredError,
        ),
        (500, body({"message": "upstream context length service down"}), ProviderUnavailableError),
        (
            529,
            json.dumps(
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
            ),
            ProviderUnavailableError,
        ),
        (408, "", ProviderUnavailableError),
        (404, body({"message": "model not found"}), ProviderError),
        (422, "<html>Unprocessable</html>", ProviderError),
        (  # Gemini's answer to a bad key: 400, not 401
            400,
            body(
                {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                }
            ),
            AuthenticationError,
        ),
        # mid-stream (no HTTP status): a numeric error.code stands in for it
        (
            None,
            body({"code": 503, "message": "The model is overloaded", "status": "UNAVAILABLE"}),
            ProviderUnavailableError,
        ),
        (
            None,
            body({"code": 429, "message": "Quota", "status": "RESOURCE_EXHAUSTED"}),
            RateLimitedError,
        ),
        (
            None,
            json.dumps({"type": "error", "error": {"type": "api_error", "message": "boom"}}),
            ProviderUnavailableError,
        ),
    ],
)
def test_mapping(status: int | None, payload: str, expected: type[ProviderError]) -> None:
    error = error_from_body("vendor", payload, status=status, key_env="VENDOR_KEY")
    assert type(error) is expected
    message = str(error)
    assert message.startswith("vendor: ") and "\n" not in message and " -- " in message
    if expected is AuthenticationError:
        assert message.endswith("check VENDOR_KEY")


def test_only_transient_failures_are_retryable() -> None:
    assert error_from_body("v", "", status=503).retryable
    assert error_from_body("v", "", status=429).retryable
    assert not error_from_body("v", "", status=400).retryable
    assert not error_from_body("v", body({"code": "insufficient_quota"}), status=429).retryable


def test_rate_limit_carries_retry_after() -> None:
    error = error_from_body("v", "", status=429, retry_after=2.5)
    assert isinstance(error, RateLimitedError) and error.retry_after == 2.5
    assert "retry after 2.5s" in str(error)


def test_vendor_text_is_one_short_redacted_line() -> None:
    text = excerpt("line one\nline two with sk-secret-123456 " + "x" * 400, ["sk-secret-123456"])
    assert "\n" not in text and "sk-secret" not in text and len(text) <= 160


def test_transport_errors() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    cases = [
        (httpx.ConnectTimeout("t", request=request), ProviderTimeoutError, "no connection"),
        (httpx.ReadTimeout("t", request=request), ProviderTimeoutError, "stalled"),
        (httpx.ConnectError("refused", request=request), ProviderUnavailableError, "reach"),
        (httpx.RemoteProtocolError("eof", request=request), MalformedResponseError, "cut short"),
    ]
    for exc, expected, words in cases:
        error = error_for_transport("v", exc, connect_s=10, read_s=60)
        assert type(error) is expected and words in str(error)
