"""Every error Routr raises on purpose, in one tree.

Each message is one line that names the fix. The CLI's single handler prints it and
exits non-zero (``ROUTR_DEBUG=1`` shows the traceback). Foreign exceptions are mapped
to this tree once, at the boundary where they occur (``raise ... from exc``).

::

    RoutrError
     ├── ConfigError               bad routr.toml, bad flag values
     │    ├── UnknownModelError    a model or provider name nobody knows
     │    └── MissingKeyError      the provider's API key variable is not set
     ├── TaskFormatError           a malformed task folder (names the file and field)
     ├── SandboxUnavailable        Docker missing or dead, image missing: infrastructure
     ├── BudgetReached             --max-cost stopped the run (exit 6; resume raises it)
     ├── StoreError                the DuckDB store cannot be used
     │    └── StoreLockedError     another process holds the database
     └── ProviderError             a model call failed (after retries, where retried)
          ├── AuthenticationError
          ├── RateLimitedError     carries retry_after (seconds) when the vendor says
          ├── ProviderUnavailableError   5xx, connection refused or reset
          ├── ProviderTimeoutError connect, first byte, or a stalled stream
          ├── ContextLengthError
          ├── ContentFilteredError
          └── MalformedResponseError     JSON or SSE we cannot read, a stream cut short

A grading that fails (tests fail, timeout, out of memory) is *data*, never an error.
"""

from __future__ import annotations


class RoutrError(Exception):
    """Base of every deliberate Routr error. ``str(err)`` is the one-line message."""

    exit_code: int = 1


class ConfigError(RoutrError):
    """Configuration or arguments that cannot work."""

    exit_code = 2


class UnknownModelError(ConfigError):
    """A model or provider name that no catalog or configuration knows."""


class MissingKeyError(ConfigError):
    """A provider's API-key variable is unset. The message names the variable, never a value."""


class TaskFormatError(RoutrError):
    """A task folder that does not follow format v1; the message names the file and field."""

    exit_code = 2


class SandboxUnavailable(RoutrError):
    """The sandbox infrastructure failed (not the code running inside it)."""

    exit_code = 3


class BudgetReached(RoutrError):
    """``--max-cost`` stopped scheduling: what ran is recorded; a higher limit resumes."""

    exit_code = 6


class StoreError(RoutrError):
    """The results database cannot be opened or written."""

    exit_code = 4


class StoreLockedError(StoreError):
    """Another process holds the database file."""


class ProviderError(RoutrError):
    """A model call failed. ``retryable`` tells the retry loop whether to try again."""

    exit_code = 5
    retryable: bool = False

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthenticationError(ProviderError):
    pass


class RateLimitedError(ProviderError):
    retryable = True

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ProviderUnavailableError(ProviderError):
    retryable = True


class ProviderTimeoutError(ProviderError):
    retryable = True


class ContextLengthError(ProviderError):
    pass


class ContentFilteredError(ProviderError):
    pass


class MalformedResponseError(ProviderError):
    retryable = True
