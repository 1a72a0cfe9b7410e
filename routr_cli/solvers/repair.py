"""Solver ``repair`` (reported as ``repair@2``): one edit turn, then one repair turn.

Turn 1 is exactly the ``edit`` solver's; its outcome is kept as ``first_turn_solved`` /
``first_turn_status`` so pass@1 can be read from the same attempts. When turn 1 is not
solved, the model gets one more turn:

- the change applied but the hidden tests failed or timed out: it sees the sanitised test
  feedback (``feedback``: failing test ids, assertion messages, traceback frames in its
  own files, with anything quoting the hidden tests redacted) and answers with edits on top of the files as its first edits left them;
- its answer was malformed or unappliable: it sees the exact parse/apply error; nothing
  was applied, so it answers against the original repository again.

No repair turn follows a provider error or a sandbox error: those are not the model's
doing, and a second try would measure the infrastructure, not the model. The final
change is the cumulative difference between the original repository and the last state.
"""

from __future__ import annotations

from routr_cli.solvers.base import Conversation, Grader, SolveResult
from routr_cli.solvers.edit import EditSolver, TurnOutcome
from routr_cli.solvers.edit_format import diff_states
from routr_cli.solvers.feedback import repair_feedback
from routr_cli.solvers.prompts import edit_error_message, test_failure_message
from routr_cli.tasks.model import Task

REPAIRABLE = frozenset({"failed", "malformed_edit", "unappliable_edit"})


class RepairSolver(EditSolver):
    """``repair``: ``edit`` plus one repair turn; same parameters as ``edit``."""

    name = "repair"
    max_turns = 2

    def follow_up(
        self,
        task: Task,
        conversation: Conversation,
        original: dict[str, str],
        first: TurnOutcome,
        grader: Grader,
    ) -> SolveResult:
        if first.status not in REPAIRABLE:
            return self.finish(conversation, original, first, first)

        if first.status != "failed" or first.grade is None:
            conversation.say("user", edit_error_message(first.error))
        else:
            feedback = repair_feedback(
                first.grade,
                task.grade.timeout_s,
                task.test_files(),
                repo_paths=first.state,
                listed=(*task.grade.fail_to_pass, *task.grade.pass_to_pass),
            )
            changed = sorted(diff_states(original, first.state))
            conversation.say("user", test_failure_message(feedback, changed))
        second = self.turn(conversation, first.state, original, grader)
        if second is None:  # turn 1's change and grade stand; the attempt is a provider error
            return conversation.result(
                "provider_error",
                error=conversation.error,
                change=diff_states(original, first.state),
                grade=first.grade,
                first_turn_status=first.status,
                suspect_hits=first.suspect_hits,
            )
        result = self.finish(conversation, original, second, first)
        if result.grade is None:  # the change still is turn 1's: keep its grade and scan
            result.grade = first.grade
            result.suspect_hits = first.suspect_hits
        return result
