"""What an attempt will cost, estimated before it is scheduled.

Used twice: ``--max-cost`` reserves each attempt's estimate while it is in flight, so a
run stops scheduling *before* the spend could pass the limit, not after; and
``routr bench --dry-run`` prints the plan with the estimated tokens and cost.

The estimate is deliberately on the high side of typical: what the edit solver sends
(the prompt, every file of ``repo/`` and its instructions, at ~4 characters per token)
and an answer as long as the reference change rewritten whole, for each turn the
solver may take (``repair`` sends the first turn again with the test output). Real
costs come from the vendor's reported usage and the price catalog, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from routr_cli.bench.keys import WorkItem
from routr_cli.providers.base import Usage
from routr_cli.tasks.model import Task
from routr_cli.text import plural

CHARS_PER_TOKEN = 4
INSTRUCTION_TOKENS = 600  # the system prompt and the edit-format rules
ANSWER_OVERHEAD_TOKENS = 300  # the edit blocks' markers and a few words around them
FEEDBACK_TOKENS = 1500  # a repair turn's failing test output (capped by the solver)


def _tokens(chars: int) -> int:
    return -(-chars // CHARS_PER_TOKEN)


def estimate_usage(task: Task, max_turns: int = 1) -> Usage:
    """Tokens one attempt at ``task`` is expected to use, all turns included."""
    repo_chars = sum(len(text) for text in task.repo_files().values())
    prompt = INSTRUCTION_TOKENS + _tokens(len(task.prompt) + repo_chars)
    answer = ANSWER_OVERHEAD_TOKENS + _tokens(
        sum(len(text or "") for text in task.solution_change().values())
    )
    turns = max(1, max_turns)
    # each later turn resends the conversation so far plus the test output
    inputs = sum(prompt + (turn - 1) * (answer + FEEDBACK_TOKENS) for turn in range(1, turns + 1))
    return Usage(input_tokens=inputs, output_tokens=answer * turns)


@dataclass
class Estimator:
    """Per-attempt estimates, cached by task (a suite has many attempts per task)."""

    cost: Callable[[str, Usage], float | None]
    max_turns: int = 1
    _usage: dict[str, Usage] = field(default_factory=dict)

    def usage(self, task: Task) -> Usage:
        cached = self._usage.get(task.content_hash)
        if cached is None:
            cached = self._usage[task.content_hash] = estimate_usage(task, self.max_turns)
        return cached

    def cost_usd(self, item: WorkItem) -> float:
        """The attempt's estimated cost; 0.0 for a model without a known price."""
        return self.cost(item.model, self.usage(item.task)) or 0.0


@dataclass(frozen=True)
class ModelPlan:
    model: str
    attempts: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None  # None: no price known for this model


def plan_by_model(
    work: Sequence[WorkItem], models: Sequence[str], estimator: Estimator
) -> list[ModelPlan]:
    """The dry run's table: attempts, tokens and cost per model."""
    plans = []
    for model in models:
        items = [w for w in work if w.model == model]
        usages = [estimator.usage(w.task) for w in items]
        costs = [estimator.cost(model, u) for u in usages]
        known = all(c is not None for c in costs)
        plans.append(
            ModelPlan(
                model,
                len(items),
                sum(u.input_tokens for u in usages),
                sum(u.output_tokens for u in usages),
                sum(c or 0.0 for c in costs) if known else None,
            )
        )
    return plans


def render_plan(plans: Sequence[ModelPlan], skipped: int) -> list[str]:
    """Lines for the terminal: one per model and a total (simulated models labelled)."""
    from routr_cli.providers.sim.catalog import display_name, is_simulated

    names = {p.model: display_name(p.model, is_simulated(p.model)) for p in plans}
    width = max([34, *(len(n) for n in names.values())])
    lines = [
        f"{'model':<{width}} {'attempts':>8} {'input tok':>11} {'output tok':>11} {'est. cost':>10}"
    ]
    for p in plans:
        cost = "unpriced" if p.cost_usd is None else f"${p.cost_usd:.4f}"
        lines.append(
            f"{names[p.model]:<{width}} {p.attempts:>8} {p.input_tokens:>11,} "
            f"{p.output_tokens:>11,} {cost:>10}"
        )
    total = sum(p.cost_usd or 0.0 for p in plans)
    unpriced = [p.model for p in plans if p.cost_usd is None]
    attempts = sum(p.attempts for p in plans)
    note = f" (without {', '.join(unpriced)}: no price known)" if unpriced else ""
    lines.append(
        f"dry run: {plural(attempts, 'attempt')} to run, {plural(skipped, 'attempt')} already "
        f"recorded; estimated cost ${total:.4f} (on the high side){note}; nothing was called"
    )
    return lines
