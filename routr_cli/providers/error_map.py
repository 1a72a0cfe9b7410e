"""Foreign failures (HTTP statuses, vendor error bodies, httpx exceptions) mapped once.

Every adapter funnels its failures through these functions, so the three wire formats
produce the same ``routr_cli.errors`` types with the same one-line messages. A message names
the provider, what happened and the fix; it quotes at most a short, single-line excerpt of
the vendor's own message, with any secret redacted -- no key ever reaches an error.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

import httpx

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

# Vendor phrasings of "the prompt does not fit" (OpenAI-compatible servers, Anthropic, Gemini).
_CONTEXT_PATTERNS = re.compile(
    r"context[ _]length|context window|maximum context|prompt is too long|too many tokens"
    r"|input token count|exceeds the maximum number of tokens|reduce the length",
    re.IGNORECASE,
)
# Gemini answers a bad key with 400 INVALID_ARGUMENT, not 401: only the text says so.
_AUTH_PATTERNS = re.compile(r"api key not valid|api_key_invalid|invalid api key", re.IGNORECASE)
_CONTEXT_CODES = {"context_length_exceeded", "string_above_max_length", "request_too_large"}
_AUTH_CODES = {
    "authentication_error",
    "permission_error",
    "invalid_api_key",
    "unauthenticated",
    "permission_denied",
}
_RATE_CODES = {"rate_limit_error", "rate_limit_exceeded", "resource_exhausted"}
_UNAVAILABLE_CODES = {
    "overloaded_error",
    "api_error",
    "server_error",
    "unavailable",
    "internal",
    "deadline_exceeded",
}
_FILTER_CODES = {"content_filter", "content_policy_violation"}
_MAX_EXCERPT = 160


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret with ``***`` (secrets shorter than 4 chars are not keys)."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def excerpt(text: str, secrets: Iterable[str] = ()) -> str:
    """A short single-line, redacted excerpt of a vendor message."""
    line = " ".join(redact(text, secrets).split())
    return line if len(line) <= _MAX_EXCERPT else line[: _MAX_EXCERPT - 3] + "..."


def parse_retry_after(
    headers: Mapping[str, str], now: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait from ``retry-after-ms``, ``Retry-After`` (seconds or an HTTP-date)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def vendor_error_fields(body: bytes | str) -> tuple[str, str]:
    """``(code, message)`` from an OpenAI, Anthropic or Gemini error body; blanks if absent.

    OpenAI: ``{"error": {"message", "type", "code"}}``; Anthropic: ``{"type": "error",
    "error": {"type", "message"}}``; Gemini: ``{"error": {"code", "message", "status"}}``.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        return "", text
    if isinstance(data, list) and data:  # Gemini sometimes wraps the error in a list
        data = data[0]
    if not isinstance(data, dict):
        return "", ""
    err = data.get("error", data)
    if isinstance(err, str):
        return "", err
    if not isinstance(err, dict):
        return "", ""
    codes = [err.get("code"), err.get("type"), err.get("status")]
    code = next((str(c) for c in codes if isinstance(c, str) and c), "")
    message = err.get("message")
    return code, message if isinstance(message, str) else ""


def error_for_vendor_failure(
    provider: str,
    *,
    status: int | None,
    code: str,
    message: str,
    retry_after: float | None = None,
    key_env: str = "",
    secrets: Iterable[str] = (),
) -> ProviderError:
    """The one mapping from (status, vendor code, vendor message) to a ``ProviderError``."""
    secrets = tuple(secrets)
    said = excerpt(message, secrets)
    detail = f"HTTP {status}" if status else "stream error"
    if code:
        detail += f", {excerpt(code, secrets)}"
    quoted = f": {said}" if said else ""
    lowered_code = code.lower()
    client_side = status is None or 400 <= status < 500
    if (
        status in (401, 403)
        or lowered_code in _AUTH_CODES
        or (client_side and _AUTH_PATTERNS.search(message))
    ):
        fix = f"check {key_env}" if key_env else "check the provider's key configuration"
        return AuthenticationError(
            f"{provider}: authentication failed ({detail}){quoted} -- {fix}", status=status
        )
    if status == 402 or lowered_code in {"insufficient_quota", "billing_error"}:
        return ProviderError(
            f"{provider}: out of credit or quota ({detail}){quoted} -- add credit to the account",
            status=status,
        )
    if status == 429 or lowered_code in _RATE_CODES:
        wait = f", retry after {retry_after:g}s" if retry_after is not None else ""
        return RateLimitedError(
            f"{provider}: rate limited ({detail}{wait}){quoted} -- lower concurrency or wait",
            status=status,
            retry_after=retry_after,
        )
    if (
        status == 413
        or lowered_code in _CONTEXT_CODES
        or (client_side and _CONTEXT_PATTERNS.search(message))
    ):
        return ContextLengthError(
            f"{provider}: prompt exceeds the model's context window ({detail}){quoted} -- "
            "shorten the prompt or pick a model with a larger context",
            status=status,
        )
    if lowered_code in _FILTER_CODES:
        return ContentFilteredError(
            f"{provider}: blocked by the content filter ({detail}){quoted} -- rephrase the prompt",
            status=status,
        )
    if (
        status in (408, 409, 425)
        or (status is not None and status >= 500)
        or lowered_code in _UNAVAILABLE_CODES
    ):
        return ProviderUnavailableError(
            f"{provider}: service unavailable ({detail}){quoted} -- retry later or pick another model",
            status=status,
        )
    if status == 404:
        return ProviderError(
            f"{provider}: not found ({detail}){quoted} -- check the model id and base_url",
            status=status,
        )
    return ProviderError(
        f"{provider}: request rejected ({detail}){quoted} -- check the model id and parameters",
        status=status,
    )


def error_from_body(
    provider: str,
    body: bytes | str,
    *,
    status: int | None = None,
    retry_after: float | None = None,
    key_env: str = "",
    secrets: Iterable[str] = (),
) -> ProviderError:
    """Map an error body -- an HTTP error response's, or one sent inside a 200 or a stream.

    Without an HTTP status (mid-stream), a numeric ``error.code`` (OpenRouter, Gemini) stands
    in for it.
    """
    code, message = vendor_error_fields(body)
    if status is None:
        status = _numeric_code(body)
    return error_for_vendor_failure(
        provider,
        status=status,
        code=code,
        message=message,
        retry_after=retry_after,
        key_env=key_env,
        secrets=secrets,
    )


def _numeric_code(body: bytes | str) -> int | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    err = data.get("error") if isinstance(data, dict) else None
    code = err.get("code") if isinstance(err, dict) else None
    if isinstance(code, int) and not isinstance(code, bool) and 400 <= code <= 599:
        return code
    return None


class StatusAndHeaders(Protocol):
    """What a response must offer to be mapped: ``httpx.Response`` and the gateway's
    ``UpstreamResponse`` both do."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


def error_for_status(
    provider: str,
    response: StatusAndHeaders,
    body: bytes,
    *,
    key_env: str = "",
    secrets: Iterable[str] = (),
) -> ProviderError:
    """Map a non-2xx response (its body already read) to a ``ProviderError``."""
    return error_from_body(
        provider,
        body,
        status=response.status_code,
        retry_after=parse_retry_after(response.headers),
        key_env=key_env,
        secrets=secrets,
    )


def error_for_transport(
    provider: str, exc: httpx.HTTPError, *, connect_s: float, read_s: float
) -> ProviderError:
    """Map an httpx exception. Never includes request headers (where keys live)."""
    kind = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        if isinstance(exc, httpx.ConnectTimeout):
            what = f"no connection within {connect_s:g}s"
        else:
            what = f"no data for {read_s:g}s (first byte or stalled stream)"
        return ProviderTimeoutError(
            f"{provider}: {what} ({kind}) -- retry later or raise the timeout"
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return MalformedResponseError(
            f"{provider}: response cut short or not valid HTTP ({kind}) -- retry; "
            "if it persists check base_url"
        )
    if isinstance(exc, httpx.TransportError):
        return ProviderUnavailableError(
            f"{provider}: cannot reach the server ({kind}) -- check base_url and that it is up"
        )
    return ProviderUnavailableError(f"{provider}: HTTP failure ({kind}) -- retry later")


def malformed(provider: str, what: str) -> MalformedResponseError:
    """A response we cannot read; ``what`` says which part (no vendor payload quoted)."""
    return MalformedResponseError(
        f"{provider}: malformed response ({what}) -- retry; if it persists check base_url"
    )
