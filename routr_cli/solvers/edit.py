"""Solver ``edit``: one model turn, answered in the edit format, graded once (pass@1).

The model gets the edit-format system prompt, then the task prompt and as much of the
repository as fits its context window (see ``context``). Its answer is parsed and applied
all-or-nothing (see ``edit_format``); a change that applies is graded in a fresh sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from routr_cli.errors import ConfigError
from routr_cli.grading.model import Grade
from routr_cli.grading.scan import ScanHit, scan_change
from routr_cli.solvers.base import (
    Conversation,
    Grader,
    ResolvedModelLike,
    SolveResult,
    Status,
    run_grader,
    status_of_grade,
)
from routr_cli.solvers.context import build_repo_context, files_budget
from routr_cli.solvers.edit_format import (
    EDIT_FORMATS,
    EditError,
    EditFormat,
    apply_answer,
    diff_states,
)
from routr_cli.solvers.prompts import system_prompt, task_message
from routr_cli.tasks.model import Change, Task

DEFAULT_CONTEXT_WINDOW = 128_000
DEFAULT_ANSWER_TOKENS = 8_192


@dataclass(frozen=True)
class TurnOutcome:
    """What one model turn produced once applied (and graded, when it applied)."""

    status: Status
    state: dict[str, str]  # the repository after this turn (unchanged when it failed)
    grade: Grade | None = None
    error: str = ""
    suspect_hits: tuple[ScanHit, ...] = ()  # the static scan of the change graded


class EditSolver:
    """``edit``: one turn. Parameters: ``edit_format`` ("search-replace" | "whole"),
    ``context_window`` (tokens; default: the model's, else 128k), ``answer_tokens``
    (room kept for the answer, sent as ``max_tokens``), ``temperature``."""

    name = "edit"
    max_turns = 1

    def __init__(
        self,
        edit_format: str = "search-replace",
        context_window: int | None = None,
        answer_tokens: int = DEFAULT_ANSWER_TOKENS,
        temperature: float | None = None,
    ) -> None:
        if edit_format not in EDIT_FORMATS:
            raise ConfigError(
                f"unknown edit format {edit_format!r} (use one of: {', '.join(EDIT_FORMATS)})"
            )
        if context_window is not None and context_window <= answer_tokens:
            raise ConfigError(
                f"context_window {context_window} must exceed answer_tokens {answer_tokens}"
            )
        self.edit_format: EditFormat = "whole" if edit_format == "whole" else "search-replace"
        self.context_window = context_window
        self.answer_tokens = answer_tokens
        self.temperature = temperature

    def _window(self, model: ResolvedModelLike) -> int:
        """The context window: the parameter, else the model's, else the pricing catalog's
        entry for the model, else ``DEFAULT_CONTEXT_WINDOW``."""
        if self.context_window is not None:
            return self.context_window
        window = getattr(model, "context_window", None)
        if window is None:
            from routr_cli.errors import RoutrError
            from routr_cli.providers.pricing import price_for

            try:
                price = price_for(model.name)
            except RoutrError:  # a broken catalog file is reported by `routr models`
                price = None
            window = price.context_window if price is not None else None
        return window if isinstance(window, int) and window > 0 else DEFAULT_CONTEXT_WINDOW

    def start(
        self, task: Task, model: ResolvedModelLike, epoch: int, files: dict[str, str]
    ) -> Conversation:
        """A conversation holding the system prompt and the task message (showing ``files``)."""
        window = self._window(model)
        answer_tokens = min(self.answer_tokens, max(256, window // 4))
        system = system_prompt(self.edit_format)
        budget = files_budget(window, answer_tokens, system, task.prompt)
        context = build_repo_context(task.prompt, files, budget)
        conversation = Conversation(
            task,
            model,
            epoch=epoch,
            edit_format=self.edit_format,
            max_tokens=answer_tokens,
            temperature=self.temperature,
        )
        conversation.say("system", system)
        conversation.say("user", task_message(task.prompt, context))
        return conversation

    def turn(
        self,
        conversation: Conversation,
        state: dict[str, str],
        original: dict[str, str],
        grader: Grader,
    ) -> TurnOutcome | None:
        """Ask, apply to ``state``, grade the change against ``original``; None: provider failed."""
        answer = conversation.ask()
        if answer is None:
            return None
        try:
            new_state = apply_answer(state, answer)
        except EditError as exc:
            status: Status = (
                "malformed_edit" if exc.kind == "malformed_edit" else "unappliable_edit"
            )
            error = str(exc)
            if conversation.last_finish_reason == "length":
                error += " (the answer was cut off at the max_tokens limit)"
            return TurnOutcome(status, state, error=error)
        change = diff_states(original, new_state)
        grade, seconds, error = run_grader(grader, change)
        conversation.grade_duration_s += seconds
        if grade is None:
            return TurnOutcome("sandbox_error", new_state, error=error)
        status = status_of_grade(grade)
        if status == "unappliable_edit":  # the grader refused the change: nothing applied
            return TurnOutcome(status, state, grade, grade.output or "the change cannot be applied")
        hits = scan_change(original, change)
        reason = "" if grade.solved else f"{grade.reason or 'failed'} (score {grade.score:.2f})"
        if hits and status == "solved":  # passing is not enough: a person must look first
            status = "suspect"
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            reason = f"suspect: {hits[0].describe()}{more}; review with `routr attempts review`"
        return TurnOutcome(status, new_state, grade, reason, hits)

    def solve(
        self, task: Task, model: ResolvedModelLike, grader: Grader, *, epoch: int = 0
    ) -> SolveResult:
        original = task.repo_files()
        conversation = self.start(task, model, epoch, original)
        first = self.turn(conversation, original, original, grader)
        if first is None:
            return conversation.result(
                "provider_error", error=conversation.error, first_turn_status="provider_error"
            )
        return self.follow_up(task, conversation, original, first, grader)

    def follow_up(
        self,
        task: Task,
        conversation: Conversation,
        original: dict[str, str],
        first: TurnOutcome,
        grader: Grader,
    ) -> SolveResult:
        """What follows a turn 1 the provider answered: for ``edit``, nothing -- turn 1 is
        the result. Solvers with more turns (``repair``) override only this."""
        return self.finish(conversation, original, first, first=first)

    def finish(
        self,
        conversation: Conversation,
        original: dict[str, str],
        outcome: TurnOutcome,
        first: TurnOutcome,
    ) -> SolveResult:
        change: Change = diff_states(original, outcome.state)
        return conversation.result(
            outcome.status,
            change=change,
            grade=outcome.grade,
            error=outcome.error,
            first_turn_solved=first.status == "solved",
            first_turn_status=first.status,
            suspect_hits=outcome.suspect_hits,
        )
