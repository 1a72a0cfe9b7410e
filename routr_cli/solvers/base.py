"""The solver seam: how a model attacks a task, with every failure returned as data.

``Solver.solve(task, model, grader, epoch=0) -> SolveResult``. ``model`` is anything with
``provider`` (the Provider protocol), ``model_id`` (what the vendor calls it) and ``name``
(``provider/model``); ``grader`` grades a ``Change`` in a fresh sandbox. A provider that
fails after its retries, an answer that does not parse, a sandbox that breaks: each
becomes a ``status`` on the result, never an exception (``KeyboardInterrupt`` excepted).

Simulated models (``sim/...``) need to know which task they are answering, so for them --
and only for them -- the request carries ``metadata`` with the task id, its content hash,
the epoch, the turn and the edit format (as strings, the OpenAI ``metadata`` shape). A
real provider never receives it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from routr_cli.errors import RoutrError
from routr_cli.grading.model import Grade
from routr_cli.grading.scan import ScanHit
from routr_cli.providers.base import ChatRequest, Message, Provider, Usage
from routr_cli.tasks.model import Change, Task

Status = Literal[
    "solved",
    "failed",
    "malformed_edit",
    "unappliable_edit",
    "provider_error",
    "sandbox_error",
    "suspect",  # the tests passed but the static scan flagged the change: needs a review
]
Grader = Callable[[Change], Grade]


class ResolvedModelLike(Protocol):
    """What a solver needs from a resolved model name."""

    @property
    def provider(self) -> Provider: ...

    @property
    def model_id(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass
class SolveResult:
    """One attempt's outcome, usage, timing and full transcript (stored with the attempt)."""

    status: Status
    change: Change = field(default_factory=dict)
    grade: Grade | None = None
    error: str = ""  # why it failed, one line; "" when solved
    turns: int = 0
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0  # model time only, summed over turns
    grade_duration_s: float = 0.0  # wall time spent grading, summed
    transcript: list[dict[str, Any]] = field(default_factory=list)
    provider_cost_usd: float | None = None
    first_turn_solved: bool = False
    first_turn_status: Status | None = None
    # What the static scan (grading.scan) found in the final change; any hit flags the
    # attempt, and a passing one is "suspect" (not solved) until a person reviews it.
    suspect_hits: tuple[ScanHit, ...] = ()

    @property
    def solved(self) -> bool:
        return self.status == "solved"


class Solver(Protocol):
    name: str

    def solve(
        self, task: Task, model: ResolvedModelLike, grader: Grader, *, epoch: int = 0
    ) -> SolveResult: ...


def add_usage(a: Usage, b: Usage) -> Usage:
    """Field-wise sum: an attempt's usage is every turn's together."""
    return Usage(
        input_tokens=a.input_tokens + b.input_tokens,
        output_tokens=a.output_tokens + b.output_tokens,
        cached_input_tokens=a.cached_input_tokens + b.cached_input_tokens,
        cache_write_tokens=a.cache_write_tokens + b.cache_write_tokens,
        reasoning_tokens=a.reasoning_tokens + b.reasoning_tokens,
    )


def usage_dict(usage: Usage) -> dict[str, int]:
    """The usage as the transcript stores it (JSON)."""
    return {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cached_input_tokens": usage.cached_input_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
    }


def model_is_simulated(model: ResolvedModelLike) -> bool:
    """True for ``sim/...`` models (or a resolved model flagged ``simulated`` by its
    provider configuration); decides whether the task metadata is sent."""
    from routr_cli.providers.sim.catalog import is_simulated

    return is_simulated(model.name) or getattr(model, "simulated", False) is True


def status_of_grade(grade: Grade) -> Status:
    """The attempt status a grade means: a broken sandbox or a change the grader could not
    apply is not a wrong answer, so each keeps its own status for the ranking to tell apart."""
    if grade.solved:
        return "solved"
    if grade.reason == "sandbox_error":
        return "sandbox_error"
    if grade.reason == "unappliable":
        return "unappliable_edit"
    return "failed"


class Conversation:
    """The messages of one attempt, the model calls made, and their summed cost and time.

    ``ask`` returns the reply text, or ``None`` after recording a provider failure in
    ``error`` -- the caller turns that into ``status="provider_error"``.
    """

    def __init__(
        self,
        task: Task,
        model: ResolvedModelLike,
        *,
        epoch: int,
        edit_format: str,
        max_tokens: int | None,
        temperature: float | None,
    ) -> None:
        self.task = task
        self.model = model
        self.epoch = epoch
        self.edit_format = edit_format
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.simulated = model_is_simulated(model)
        self.messages: list[Message] = []
        self.transcript: list[dict[str, Any]] = []
        self.usage = Usage()
        self.latency_s = 0.0
        self.grade_duration_s = 0.0
        self.cost_usd: float | None = None  # the vendor's own figure, summed over turns
        self._cost_known = True  # False once a turn answered without a cost: no partial sum
        self.turns = 0
        self.error = ""
        self.last_finish_reason: str | None = None

    def say(self, role: Literal["system", "user"], content: str) -> None:
        self.messages.append(Message(role, content))
        self.transcript.append({"role": role, "content": content, "usage": None, "latency_s": 0.0})

    def _extra(self) -> dict[str, Any]:
        if not self.simulated:
            return {}
        return {
            "metadata": {
                "routr_task": self.task.id,
                "routr_task_hash": self.task.content_hash,
                "routr_epoch": str(self.epoch),
                "routr_turn": str(self.turns),
                "routr_edit_format": self.edit_format,
            }
        }

    def ask(self) -> str | None:
        """One model call with the messages so far; usage, latency and cost are summed."""
        self.turns += 1
        request = ChatRequest(
            model=self.model.model_id,
            messages=tuple(self.messages),
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            extra=self._extra(),
        )
        started = time.monotonic()
        try:
            response = self.model.provider.complete(request)
        except Exception as exc:  # ProviderError after retries, or anything a provider leaked
            self.latency_s += time.monotonic() - started
            kind = (
                type(exc).__name__
                if isinstance(exc, RoutrError)
                else f"unexpected {type(exc).__name__}"
            )
            self.error = f"{kind}: {exc}"
            return None
        wall = time.monotonic() - started
        latency = response.latency_s if response.latency_s > 0 else wall
        self.latency_s += latency
        self.usage = add_usage(self.usage, response.usage)
        if response.provider_cost_usd is None:
            self._cost_known, self.cost_usd = False, None  # half a bill would understate it
        elif self._cost_known:
            self.cost_usd = (self.cost_usd or 0.0) + response.provider_cost_usd
        self.last_finish_reason = response.finish_reason
        self.messages.append(Message("assistant", response.text))
        self.transcript.append(
            {
                "role": "assistant",
                "content": response.text,
                "usage": usage_dict(response.usage),
                "latency_s": round(latency, 4),
                "finish_reason": response.finish_reason,
            }
        )
        return response.text

    def result(self, status: Status, **fields: Any) -> SolveResult:
        return SolveResult(
            status=status,
            turns=self.turns,
            usage=self.usage,
            latency_s=self.latency_s,
            grade_duration_s=self.grade_duration_s,
            transcript=self.transcript,
            provider_cost_usd=self.cost_usd,
            **fields,
        )


def run_grader(grader: Grader, change: Change) -> tuple[Grade | None, float, str]:
    """Grade ``change``: (grade or None, wall seconds, error). Infrastructure errors are data."""
    started = time.monotonic()
    try:
        grade = grader(change)
    except Exception as exc:  # the sandbox failed, not the model: record, never abort a run
        return None, time.monotonic() - started, f"{type(exc).__name__}: {exc}"
    return grade, time.monotonic() - started, ""
