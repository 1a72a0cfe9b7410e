"""One routed call from end to end, for `routr call`: the CLI only parses and renders.

Steps: the conversation (``-c`` continues the last one), the request's features, the
standings (read from the results database, with call feedback folded in), the decision,
the simulated-model server when a ``sim/`` candidate may be called (as `routr bench`
does), the executor, then the call log and the saved conversation.

The last conversation is kept in ``last-conversation.json`` beside the database
(mode 0600, overwritten by each call) so ``-c`` works without logging content to the
database; ``--log-content`` is about the shared log, this file is the user's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from routr_cli.errors import ConfigError, StoreError
from routr_cli.providers.base import Message
from routr_cli.router.executor import CallResult, Executor, ExecutorSettings
from routr_cli.router.features import RequestFeatures, features_for
from routr_cli.router.policy import Constraints, Decision, RoutingTable, choose, parse_objective

if TYPE_CHECKING:
    import pandas as pd

    from routr_cli.ranking.summary import AttemptSummary

STANDINGS_DRAWS = 400  # bootstrap draws for the tie groups: enough for a routing decision
CONVERSATION_FILE = "last-conversation.json"


@dataclass(frozen=True)
class CallOptions:
    prompt: str
    db: Path
    objective: str = "auto"
    system: str | None = None
    category: str | None = None
    language: str | None = None
    constraints: Constraints = field(default_factory=Constraints)
    stream: bool = True
    continue_last: bool = False
    log_content: bool = False
    deadline_s: float = 120.0
    max_tokens: int | None = None
    sim_latency: float = 1.0


@dataclass(frozen=True)
class Prepared:
    """Everything decided before any model is called."""

    decision: Decision
    messages: tuple[Message, ...]
    conversation_id: str
    table: RoutingTable


def parse_max_price(text: str | None) -> tuple[float | None, float | None]:
    """``--max-price IN[,OUT]`` in USD per 1M tokens; one number caps both."""
    if text is None:
        return None, None
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ConfigError(
            f"--max-price {text!r}: give USD per 1M tokens as IN or IN,OUT, e.g. 1 or 0.5,2"
        ) from None
    if len(values) not in (1, 2) or any(v < 0 for v in values):
        raise ConfigError(f"--max-price {text!r}: one or two non-negative numbers (IN[,OUT])")
    return values[0], values[-1]


def attempt_frame(db: Path) -> pd.DataFrame:
    """The ranking's attempt frame of ``db`` (bench attempts of the newest task versions)."""
    from routr_cli.store.frame import read_attempt_frame

    return read_attempt_frame(db)


def fit_routing_table(data: pd.DataFrame | AttemptSummary) -> RoutingTable:
    """Standings fitted on an attempt frame or its summary, as a routing table (no
    feedback); both give the same table."""
    from routr_cli.ranking import standings
    from routr_cli.router.table import routing_table

    return routing_table(standings(data, draws=STANDINGS_DRAWS, seed=0))


def load_table(db: Path) -> RoutingTable:
    """The standings in ``db`` as a routing table, call feedback included (empty: none)."""
    from routr_cli.router.call_log import feedback_counts
    from routr_cli.router.feedback import with_feedback
    from routr_cli.store import Store

    if not Path(db).is_file():
        return RoutingTable({})
    with Store.open(db, read_only=True) as store:
        counts = feedback_counts(store)
        graded = store.con.execute("SELECT count(*) FROM attempts").fetchone()[0]
    if not graded:  # a call log without bench results: nothing to rank (and no pandas)
        return RoutingTable({})
    # The summary DuckDB folds (per model and task), not the attempt frame: the same
    # standings without every attempt crossing into pandas (`routr call` and `serve`
    # start-up pay for this read).
    from routr_cli.store.frame import read_attempt_summary

    summary = read_attempt_summary(db)
    if summary.empty:
        return RoutingTable({})
    return with_feedback(fit_routing_table(summary), counts)


def conversation_path(db: Path) -> Path:
    return Path(db).parent / CONVERSATION_FILE


def load_conversation(db: Path) -> tuple[str, list[Message]]:
    path = conversation_path(db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        messages = [Message(m["role"], m["content"]) for m in data["messages"]]
        return str(data["conversation_id"]), messages
    except FileNotFoundError:
        raise ConfigError(
            f"no earlier conversation in {path}: run `routr call` without -c first"
        ) from None
    except (ValueError, KeyError, TypeError):
        raise ConfigError(
            f"{path} is not a saved conversation: delete it and start again"
        ) from None


def save_conversation(db: Path, conversation_id: str, messages: list[Message]) -> None:
    path = conversation_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "conversation_id": conversation_id,
                "messages": [{"role": m.role, "content": m.content} for m in messages],
            },
            fh,
        )
    tmp.replace(path)


def prepare(options: CallOptions) -> Prepared:
    """The messages and the decision; raises ``ConfigError`` when nothing can serve."""
    from routr_cli.router.table import model_infos

    prompt = options.prompt.strip()
    if not prompt:
        raise ConfigError("the prompt is empty: pass it as an argument or on standard input")
    history: list[Message] = []
    conversation_id = "conv-" + secrets.token_hex(6)
    if options.continue_last:
        conversation_id, history = load_conversation(options.db)
        if options.system is not None:
            history = [m for m in history if m.role != "system"]
    if options.system is not None:
        history.insert(0, Message("system", options.system))
    messages = (*history, Message("user", prompt))
    pairs = [(m.role, m.content) for m in messages]
    features: RequestFeatures = features_for(
        pairs,
        category=options.category,
        language=options.language,
        output_tokens=options.max_tokens,
        needs=frozenset({"streaming"}) if options.stream else frozenset(),
    )
    objective = parse_objective(options.objective)
    if not objective:
        raise ConfigError("-m is empty: use auto, auto:cheap, auto:fast or MODEL[,MODEL...]")
    table = load_table(options.db)  # explicit chains use it too: for the evidence shown
    if isinstance(objective, str) and not table.slices:
        raise ConfigError(
            f"no standings in {options.db} to route by: run `routr bench` first, pass --db, "
            "or name models with -m MODEL[,MODEL...]"
        )
    names = [s.model for row in table.slices.values() for s in row]
    if not isinstance(objective, str):
        from routr_cli.providers.registry import split_model_name

        for name in objective:
            split_model_name(name)  # a malformed name is a one-line error now
        names += list(objective)
    decision = choose(features, table, model_infos(names), options.constraints, objective)
    if not decision.candidates:
        why = "; ".join(f"{m}: {reason}" for m, reason in decision.rejected) or "none known"
        raise ConfigError(
            f"no model meets the constraints ({why}) -- relax them or pick models with -m"
        )
    return Prepared(decision, messages, conversation_id, table)


@contextlib.contextmanager
def _sim_if_needed(decision: Decision, latency: float) -> Iterator[None]:
    """Serve the simulated models in-process when one may be called and none is configured."""
    from routr_cli.providers.sim.server import SIM_BASE_URL_ENV, sim_models_served

    if not any(c.simulated and c.provider == "sim" for c in decision.candidates) or os.environ.get(
        SIM_BASE_URL_ENV
    ):
        yield
        return
    with sim_models_served(None, 0, latency):
        yield


def execute(
    options: CallOptions,
    prepared: Prepared,
    on_delta: Callable[[str], None],
) -> tuple[str, CallResult]:
    """Call the candidates, log the call, save the conversation; return (call id, result)."""
    import httpx

    from routr_cli.router.call_log import log_content_wanted, new_call_id, record_for, write_calls
    from routr_cli.store import Store

    candidates = prepared.decision.candidates
    settings = ExecutorSettings(deadline_s=options.deadline_s)
    with _sim_if_needed(prepared.decision, options.sim_latency), httpx.Client() as client:
        executor = Executor(client, settings=settings)
        if options.stream:
            stream = executor.stream(candidates, prepared.messages, max_tokens=options.max_tokens)
            while True:
                try:
                    on_delta(next(stream))
                except StopIteration as stop:
                    result: CallResult = stop.value
                    break
        else:
            result = executor.complete(candidates, prepared.messages, max_tokens=options.max_tokens)
    call_id = new_call_id()
    pairs = [(m.role, m.content) for m in prepared.messages]
    record = record_for(
        call_id,
        prepared.decision,
        result,
        source="call",
        streamed=options.stream,
        conversation_id=prepared.conversation_id,
        messages=pairs if log_content_wanted(options.log_content) else None,
    )
    try:
        with Store.open(options.db) as store:
            write_calls(store, [record])
    except StoreError as exc:
        raise StoreError(f"the answer was shown but the call was not logged: {exc}") from exc
    finally:
        if result.ok:
            save_conversation(
                options.db,
                prepared.conversation_id,
                [*prepared.messages, Message("assistant", result.text)],
            )
    return call_id, result
