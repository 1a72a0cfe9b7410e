"""The simulated models' behaviour, independent of HTTP: one request body in, one reply out.

Everything is a pure function of the server's seed and the request, so a run can be
repeated exactly:

- Errors: each request is keyed by the digest of its JSON body and by how many times that
  same body has been seen (so a retry is a new draw); ``uniform(seed, model, key, n)``
  below the model's ``rate_limited`` rate answers 429 with ``Retry-After``, below
  ``rate_limited + server_error`` answers 500.
- Task answers: the solver names the task in ``metadata`` (``routr_task``,
  ``routr_task_hash``, ``routr_epoch``, ``routr_turn``, ``routr_edit_format``; see
  ``solvers.base``). The success draw is ``uniform(seed, model, task hash, epoch, turn)``
  compared with the model's skill for the task's category and difficulty. The repository
  the answer is written against is ``repo/`` with each earlier assistant message of the
  conversation applied in order (one that does not apply changes nothing), exactly what
  the repair solver does. A model cannot fix what it was not shown: when a file the
  reference change edits is neither in the prompt nor already edited by the model (the
  solver left it out to fit the context window), the answer is wrong whatever the draw.
- A request without that metadata (a router call, a chat) gets ``chat_reply``: a short
  reply that names the model and is a pure function of the model and the conversation,
  so `routr call` shows end to end which model served, with no key and no real model.
- Usage: input ``ceil(chars / 4)`` per message plus 4, output ``ceil(chars / 4)``; the
  conversation before the last user message counts as cached input once it is at least
  1024 tokens (in steps of 128, as OpenAI's prompt cache does).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routr_cli.providers.sim.answers import (
    SimAnswer,
    pick_weighted,
    reference_answer,
    uniform,
    wrong_answer,
)
from routr_cli.providers.sim.catalog import SimModel, load_sim_models
from routr_cli.tasks.model import Task, apply_change

CACHE_MIN_TOKENS = 1024
CACHE_STEP = 128


class SimRequestError(Exception):
    """A request the simulated endpoint rejects, with its HTTP status and OpenAI error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        kind: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.body = {"error": {"message": message, "type": kind, "param": None, "code": code}}


@dataclass(frozen=True)
class SimReply:
    """A successful completion, with the delays the server should play out."""

    model: str
    text: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    ttft_s: float
    total_s: float
    answer_kind: str = "plain"

    def usage(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": self.cached_tokens},
        }


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def _messages(body: dict[str, Any]) -> list[tuple[str, str]]:
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise SimRequestError(400, "'messages' must be a non-empty array", code="invalid_messages")
    out = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str):
            raise SimRequestError(400, f"messages[{i}] needs a 'role'", code="invalid_messages")
        content = m.get("content", "")
        if isinstance(content, list):  # content parts: keep the text ones
            texts = [p.get("text", "") for p in content if isinstance(p, dict)]
            if not all(isinstance(t, str) for t in texts):
                raise SimRequestError(
                    400, f"messages[{i}].content parts need text strings", code="invalid_messages"
                )
            content = "".join(texts)
        if not isinstance(content, str):
            raise SimRequestError(
                400, f"messages[{i}].content must be text", code="invalid_messages"
            )
        out.append((m["role"], content))
    return out


def chat_reply(model: SimModel, messages: list[tuple[str, str]]) -> str:
    """The deterministic answer to any chat that is not a benchmark task.

    It names the model (and says it is simulated) so a routed call shows who served it;
    the digest of the last user message makes different prompts visibly different
    answers while the same prompt always gets the same one.
    """
    asked = next((c for r, c in reversed(messages) if r == "user"), "")
    digest = hashlib.sha256(asked.encode()).hexdigest()[:8]
    words = len(asked.split())
    return (
        f"{model.name} (simulated) answering. This is Routr's simulated model "
        f"'{model.model_id}' ({model.description}); no real model was called. "
        f"Your message had {words} words (digest {digest}). "
        "A real model would answer it here."
    )


@dataclass(frozen=True)
class TaskCopy:
    """A task as the server read it: files snapshotted so an answer matches its hash."""

    task: Task
    repo: dict[str, str]
    target: dict[str, str]  # repo/ with the reference change applied


class SimEngine:
    """Answers chat-completion bodies for the simulated models; thread-safe."""

    def __init__(self, tasks_dir: Path | None, seed: int = 0, latency_scale: float = 1.0) -> None:
        self.tasks_dir = Path(tasks_dir) if tasks_dir is not None else None
        self.seed = seed
        self.latency_scale = latency_scale
        self.models = load_sim_models()
        self._seen: Counter[str] = Counter()
        self._tasks: dict[str, TaskCopy] = {}
        self._lock = threading.Lock()

    def model_for(self, name: object) -> SimModel:
        if not isinstance(name, str) or not name:
            raise SimRequestError(400, "'model' must be a model name", code="invalid_model")
        full = name if name.startswith("sim/") else f"sim/{name}"
        if full not in self.models:
            raise SimRequestError(
                404,
                f"The model '{name}' does not exist (known: {', '.join(self.models)})",
                code="model_not_found",
            )
        return self.models[full]

    def _inject_error(self, model: SimModel, body: dict[str, Any]) -> None:
        key = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self._lock:
            self._seen[key] += 1
            nth = self._seen[key]
        u = uniform(self.seed, "error", model.name, key, nth)
        if u < model.rate_limited_rate:
            retry = model.retry_after_s * self.latency_scale
            raise SimRequestError(
                429,
                f"Rate limit reached for {model.name} (simulated); retry after {retry:g}s",
                code="rate_limit_exceeded",
                kind="requests",
                headers={"Retry-After": f"{retry:g}"},
            )
        if u < model.rate_limited_rate + model.server_error_rate:
            raise SimRequestError(
                500,
                f"The server had an error processing the request (simulated, {model.name})",
                code=None,
                kind="server_error",
            )

    def _load(self, task_id: str) -> TaskCopy:
        from routr_cli.errors import TaskFormatError
        from routr_cli.tasks.load import load_task

        if self.tasks_dir is None:
            raise SimRequestError(
                400, "this sim server has no tasks folder (start it with --tasks DIR)"
            )
        folder = self.tasks_dir / task_id
        if "/" in task_id or task_id.startswith(".") or not folder.is_dir():
            raise SimRequestError(
                400, f"unknown task {task_id!r} in {self.tasks_dir}", code="unknown_task"
            )
        try:
            task = load_task(folder)
        except TaskFormatError as exc:
            raise SimRequestError(
                400, f"task {task_id!r} does not load: {exc}", code="bad_task"
            ) from exc
        repo = task.repo_files()
        copy = TaskCopy(task, repo, apply_change(repo, task.solution_change()))
        with self._lock:
            self._tasks[task_id] = copy
        return copy

    def _task(self, task_id: str, task_hash: str) -> TaskCopy:
        """The server's copy of a task; reread from disk once when the hash disagrees."""
        with self._lock:
            copy = self._tasks.get(task_id)
        if copy is None or (task_hash and copy.task.content_hash != task_hash):
            copy = self._load(task_id)
        if task_hash and copy.task.content_hash != task_hash:
            raise SimRequestError(
                400,
                f"task {task_id!r} differs from the sim server's copy "
                f"({task_hash} != {copy.task.content_hash}); start the server on the same --tasks folder",
                code="task_version_mismatch",
            )
        return copy

    def _answer(
        self, model: SimModel, meta: dict[str, Any], messages: list[tuple[str, str]]
    ) -> SimAnswer:
        from routr_cli.solvers.edit_format import EditError, EditFormat, apply_answer

        copy = self._task(str(meta.get("routr_task", "")), str(meta.get("routr_task_hash", "")))
        task = copy.task
        fmt: EditFormat = "whole" if meta.get("routr_edit_format") == "whole" else "search-replace"
        previous = [content for role, content in messages if role == "assistant"]
        try:
            epoch = int(meta.get("routr_epoch", 0))
            turn = int(meta.get("routr_turn", len(previous) + 1))
        except (TypeError, ValueError) as exc:
            raise SimRequestError(
                400, "metadata routr_epoch and routr_turn must be integers"
            ) from exc
        state = copy.repo
        for content in previous:
            with contextlib.suppress(EditError):  # an answer that did not apply changed nothing
                state = apply_answer(state, content)
        target = copy.target
        parts = (self.seed, model.name, task.content_hash, epoch, turn)
        u_solve = uniform(*parts, "solve")
        u_style = uniform(*parts, "style")
        seen = "\n".join(content for role, content in messages if role == "user")
        blind = [
            path
            for path, text in copy.repo.items()
            if target.get(path) != text and state.get(path) == text and text not in seen
        ]
        if not blind and u_solve < model.success_probability(task.category, task.difficulty, turn):
            return SimAnswer(reference_answer(state, target, fmt, u_style), True, "reference")
        kind = pick_weighted(uniform(*parts, "mistake"), model.mistakes)
        return wrong_answer(state, target, fmt, kind, u_style)

    def handle(self, body: dict[str, Any]) -> SimReply:
        """The reply to one chat-completion body, or ``SimRequestError``."""
        model = self.model_for(body.get("model"))
        messages = _messages(body)
        self._inject_error(model, body)
        prompt_tokens = sum(tokens(c) + 4 for _, c in messages)
        if prompt_tokens > model.context_window:
            raise SimRequestError(
                400,
                f"This model's maximum context length is {model.context_window} tokens. "
                f"However, your messages resulted in {prompt_tokens} tokens.",
                code="context_length_exceeded",
            )
        meta = body.get("metadata")
        if isinstance(meta, dict) and meta.get("routr_task"):
            answer = self._answer(model, meta, messages)
        else:
            answer = SimAnswer(chat_reply(model, messages), False, "plain")
        text, finish = answer.text, "stop"
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        if isinstance(limit, int) and limit > 0 and tokens(text) > limit:
            text, finish = text[: limit * 4], "length"
        last_user = max((i for i, (r, _) in enumerate(messages) if r == "user"), default=0)
        prefix = sum(tokens(c) + 4 for _, c in messages[:last_user])
        cached = (prefix // CACHE_STEP) * CACHE_STEP if prefix >= CACHE_MIN_TOKENS else 0
        completion = tokens(text)
        ttft = model.ttft_s * self.latency_scale
        total = ttft + completion / model.tokens_per_second * self.latency_scale
        return SimReply(
            model=model.name,
            text=text,
            finish_reason=finish,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion,
            cached_tokens=cached,
            ttft_s=ttft,
            total_s=total,
            answer_kind=answer.kind,
        )
