"""Provider failures during a bench: shown once per model and kind, and told apart.

A failed call is recorded as a ``provider_error`` attempt and the run goes on -- unless
it is a *configuration* failure: the key is refused (401/403), the account is out of
credit, the model does not exist (404 ``model_not_found``), or the host could not be
reached on any call so far. Those fail every remaining attempt of that model the same
way, so recording them would only fill the database with noise that a fixed
configuration must then re-run: the model's remaining attempts are dropped unrecorded,
and the run ends with exit 5 and the vendor's message naming the fix.

The solver records a failure as ``"<ErrorClass>: <message>"`` (``solvers.base``); the
class name before the first colon is the kind. Every message shown passes through
``secrets.scrub_text``: a vendor quoting the key back never puts it on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from routr_cli.bench.secrets import scrub_text
from routr_cli.text import plural

_KIND = re.compile(r"^(?:unexpected )?([A-Za-z_][A-Za-z0-9_]*): ")
_NOT_FOUND = re.compile(r"\bnot found \(HTTP 404\b|\bmodel_not_found\b", re.I)
_OUT_OF_CREDIT = re.compile(r"\bout of credit or quota\b", re.I)
_UNREACHABLE = re.compile(r"\bcannot reach the server\b", re.I)


def failure_kind(error: str) -> str:
    """The error class named at the start of a recorded provider failure."""
    match = _KIND.match(error)
    return match.group(1) if match else "ProviderError"


def is_configuration_failure(error: str, *, model_answered: bool) -> bool:
    """Would every further call of this model fail the same way, whatever the task?"""
    kind = failure_kind(error)
    if kind == "AuthenticationError":
        return True
    if kind == "ProviderError" and (_NOT_FOUND.search(error) or _OUT_OF_CREDIT.search(error)):
        return True
    # A host that never answered: a wrong base_url or a server that is not running. Once
    # the model has answered, an outage is transient and recorded like any other failure.
    return (
        kind == "ProviderUnavailableError"
        and not model_answered
        and bool(_UNREACHABLE.search(error))
    )


@dataclass
class FailureWatch:
    """What the runner learns about each model's failures as attempts finish."""

    secret_vars: tuple[str, ...] = ()
    answered: set[str] = field(default_factory=set)  # models with at least one answer
    shown: set[tuple[str, str]] = field(default_factory=set)
    stopped: dict[str, str] = field(default_factory=dict)  # model -> its scrubbed message

    def message(self, error: str) -> str:
        return scrub_text(error, secret_vars=self.secret_vars)

    def first_of_its_kind(self, model: str, error: str) -> str | None:
        """The line to show for this failure, or None when its kind was shown already."""
        key = (model, failure_kind(error))
        if key in self.shown:
            return None
        self.shown.add(key)
        return f"{model}: provider error: {self.message(error)}"

    def configuration_failure(self, model: str, error: str) -> bool:
        """True (and the model stopped) when ``error`` means the model cannot work."""
        if model in self.stopped:
            return True
        if not is_configuration_failure(error, model_answered=model in self.answered):
            return False
        self.stopped[model] = self.message(_KIND.sub("", error, count=1))
        return True

    def summary(self, not_recorded: dict[str, int]) -> str:
        """One line for the end of the run: what stopped, and the fix."""
        parts = []
        for model, message in self.stopped.items():
            dropped = not_recorded.get(model, 0)
            parts.append(f"{message} ({model}: {plural(dropped, 'attempt')} not recorded)")
        return "; ".join(parts) + ": fix the configuration, then run the same command again"
