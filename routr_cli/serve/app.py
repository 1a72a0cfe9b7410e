"""The gateway: a raw ASGI app (``asgi.py``) on uvicorn over the router's policy and executor.

State built once per worker at start-up, so a request does only pure work and one
upstream call: the routing table (the standings in ``--db`` with call feedback folded
in), the catalog facts of every model (``model_infos``), provider configurations (a
cached resolver: no file is read per request), one ``UpstreamPool`` of keep-alive
connections to the providers, the breaker board, the key guard, the metrics and the
call-log writer (a thread feeding the process that writes the log: ``log_writer``).

A request: authenticate and admit (429 + Retry-After past a key's rate or budget) ->
read the body within the size limit and the read timeout -> parse (OpenAI's shapes,
``wire.py``) -> features and decision (``router.features``, ``router.policy``) -> the
async executor -> an OpenAI-shaped answer or error, ``x-routr-*`` headers, metrics and
a queued log record. Streaming waits for the first delta before sending headers, so any
failure before it falls over transparently and ``x-routr-model`` names the model that
serves; after it, a failure is an ``error`` event and the stream ends without
``[DONE]`` (OpenAI's SDKs raise on it): never a truncated answer passed off as complete.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from routr_cli.errors import ConfigError, RoutrError
from routr_cli.providers.base import Usage
from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.registry import ResolvedModel, adapter_class, provider_config
from routr_cli.providers.retry import RetryPolicy
from routr_cli.providers.upstream_pool import UpstreamPool
from routr_cli.router.async_executor import AsyncExecutor, StreamStart
from routr_cli.router.breaker import BreakerBoard
from routr_cli.router.call_log import new_call_id
from routr_cli.router.executor import CallResult, ExecutorSettings
from routr_cli.router.features import features_for
from routr_cli.router.policy import (
    OBJECTIVES,
    Constraints,
    Decision,
    ModelInfo,
    RoutingTable,
    choose,
)
from routr_cli.serve import wire
from routr_cli.serve.asgi import (
    JSON_TYPE,
    SSE_TYPE,
    App,
    BodyError,
    ClientGone,
    Headers,
    Receive,
    Scope,
    Send,
    WatchedStream,
    header_pairs,
    json_bytes,
    read_body,
    request_headers,
    send_body,
    send_json,
)
from routr_cli.serve.guard import Denied, Guard, KeyPolicy
from routr_cli.serve.log_writer import CallLogWriter
from routr_cli.serve.metrics import Metrics

log = logging.getLogger("routr.serve")

# Upstream failures as HTTP statuses (OpenAI's own choices where it has one).
_STATUS_FOR_ERROR = {
    "AuthenticationError": 502,  # the gateway's provider key, not the caller's
    "RateLimitedError": 429,
    "ProviderTimeoutError": 504,
    "ContextLengthError": 400,
    "ContentFilteredError": 400,
    "CircuitOpen": 503,
}


@dataclass(frozen=True)
class ServeSettings:
    db: Path
    log_path: Path
    require_auth: bool = True
    max_body_bytes: int = 1_000_000
    max_messages: int = 256
    deadline_s: float = 120.0
    read_timeout_s: float = 15.0  # a slow client gets this long to send its body
    log_content: bool = False
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)


@dataclass
class Gateway:
    settings: ServeSettings
    table: RoutingTable
    infos: dict[str, ModelInfo]
    guard: Guard
    executor: AsyncExecutor
    writer: CallLogWriter | None
    metrics: Metrics = field(default_factory=Metrics)
    owners: dict[str, str] = field(default_factory=dict)

    def info_for(self, names: tuple[str, ...]) -> Mapping[str, ModelInfo]:
        """Catalog facts, computed once per model name and kept (at most 4,096 names:
        callers choose the names of an explicit chain, and memory must not grow with them)."""
        missing = [n for n in names if n not in self.infos]
        if missing:
            from routr_cli.router.table import model_infos

            if len(self.infos) + len(missing) > 4096:
                self.infos.clear()
                missing = list(dict.fromkeys(names))
            self.infos.update(model_infos(missing))
        return self.infos


def cached_resolver() -> Callable[..., ResolvedModel]:
    """``resolve_model`` with the provider configurations read once (not per request)."""
    from routr_cli.providers.registry import split_model_name

    configs: dict[str, Any] = {}

    def resolve(
        model_name: str,
        client: httpx.Client,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
    ) -> ResolvedModel:
        provider_name, model_id = split_model_name(model_name)
        config = configs.get(provider_name)
        if config is None:
            config = provider_config(provider_name)
            config.api_key()  # MissingKeyError until the key is set: checked every time
            configs[provider_name] = config
        provider = adapter_class(config)(config, client, timeouts=timeouts, retry=retry)
        return ResolvedModel(
            name=f"{provider_name}/{model_id}",
            provider_name=provider_name,
            model_id=model_id,
            simulated=config.simulated,
            provider=provider,
        )

    return resolve


def snapshot_pricer() -> Callable[[str, Usage], float | None]:
    """Prices read once at start-up (the catalog's own lookup re-stats its files on every
    call, which a request path should not); restart to pick up a changed catalog."""
    from routr_cli.providers.pricing import cost_from_price, load_catalog

    prices = load_catalog()

    def price(model: str, usage: Usage) -> float | None:
        found = prices.get(model)
        return None if found is None else cost_from_price(found, usage)

    return price


def _denied(exc: Denied, request_id: bytes) -> tuple[int, dict[str, Any], Headers]:
    headers: Headers = [(b"x-request-id", request_id)] if request_id else []
    if exc.retry_after is not None:
        headers.append((b"retry-after", str(max(1, int(exc.retry_after + 0.999))).encode()))
    kind = "authentication_error" if exc.status == 401 else "rate_limit_error"
    if exc.status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    return exc.status, wire.error_body(str(exc), kind, exc.code), headers


def _authorization(headers: Mapping[bytes, bytes]) -> str | None:
    value = headers.get(b"authorization")
    return None if value is None else value.decode("latin-1")


class ChatHandler:
    """``POST /v1/chat/completions``, a raw ASGI handler (``asgi.py`` says why)."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.known_models: set[str] = set()
        self._names_of: tuple[RoutingTable, tuple[str, ...]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gateway = self.gateway
        settings = gateway.settings
        received = time.perf_counter()
        call_id = new_call_id()
        headers = request_headers(scope)
        request_id = headers.get(b"x-request-id") or call_id.encode()
        try:
            key = gateway.guard.identify(_authorization(headers))
            gateway.guard.admit(key)
        except Denied as exc:
            await send_json(send, *_denied(exc, request_id))
            return
        try:
            body = await read_body(
                receive, headers, settings.max_body_bytes, settings.read_timeout_s
            )
            try:
                data = json.loads(body)
            except ValueError:
                raise wire.WireError(400, "the body is not valid JSON") from None
            call = wire.parse_chat(data, max_messages=settings.max_messages)
            decision = self.decide(call)
        except ClientGone:
            return
        except BodyError as exc:
            error = wire.WireError(exc.status, str(exc), code=exc.code)
            await send_json(send, exc.status, error.body(), [(b"x-request-id", request_id)])
            return
        except wire.WireError as exc:
            out = [(b"x-request-id", request_id), *header_pairs(exc.headers.items())]
            await send_json(send, exc.status, exc.body(), out)
            return
        if call.stream:
            await self.stream(send, receive, call, decision, key, call_id, request_id, received)
        else:
            await self.complete(send, call, decision, key, call_id, request_id, received)

    def model_names(self) -> tuple[str, ...]:
        """Every model of the standings (kept per table: tests swap the table)."""
        table = self.gateway.table
        if self._names_of is None or self._names_of[0] is not table:
            names = tuple(dict.fromkeys(s.model for row in table.slices.values() for s in row))
            self._names_of = (table, names)
        return self._names_of[1]

    def decide(self, call: wire.ChatCall) -> Decision:
        gateway = self.gateway
        objective = call.objective
        if isinstance(objective, str) and objective not in OBJECTIVES:
            raise wire.WireError(
                404,
                f"model {call.model!r} does not exist: use routr/auto, routr/auto:cheap, "
                "routr/auto:fast or provider/model (GET /v1/models)",
                kind="invalid_request_error",
                code="model_not_found",
                param="model",
            )
        if not isinstance(objective, str):
            for name in objective:
                self.check_model(name)
        if isinstance(objective, str) and not gateway.table.slices:
            raise wire.WireError(
                503,
                "no standings to route by: run `routr bench` into the server's --db, or name "
                "a model (provider/model)",
                kind="server_error",
                code="no_standings",
            )
        try:
            features = features_for(
                [(m.role, m.content) for m in call.messages],
                category=call.hints.category,
                language=call.hints.language,
                output_tokens=call.max_tokens,
                needs=call.needs,
            )
        except RoutrError as exc:
            raise wire.WireError(400, str(exc)) from None
        hints = call.hints
        constraints = Constraints(
            max_input_per_mtok=hints.max_price[0],
            max_output_per_mtok=hints.max_price[1],
            providers=hints.providers,
            exclude_providers=hints.exclude_providers,
            zdr=hints.zdr,
        )
        names = self.model_names()
        if not isinstance(objective, str):
            names += objective
        decision = choose(features, gateway.table, gateway.info_for(names), constraints, objective)
        if not decision.candidates:
            why = "; ".join(f"{m}: {reason}" for m, reason in decision.rejected) or "none known"
            raise wire.WireError(
                400, f"no model meets the constraints ({why})", code="no_candidate"
            )
        return decision

    def check_model(self, name: str) -> None:
        """404 for a name no provider serves (checked once per name, then remembered)."""
        if name in self.known_models:
            return
        from routr_cli.providers.registry import split_model_name

        try:
            provider, model_id = split_model_name(name)
            config = provider_config(provider)
            if config.simulated:
                from routr_cli.providers.sim.catalog import get_sim_model

                get_sim_model(model_id)
        except RoutrError as exc:
            raise wire.WireError(404, str(exc), code="model_not_found", param="model") from None
        if len(self.known_models) >= 4096:  # bounded: callers choose the names
            self.known_models.clear()
        self.known_models.add(name)

    def headers(
        self, decision: Decision, served: str | None, request_id: bytes, overhead_s: float,
        attempts: int,
    ) -> Headers:  # fmt: skip
        simulated = any(c.simulated for c in decision.candidates if c.model == served)
        return [
            (b"x-request-id", request_id),
            (b"x-routr-model", (served or "").encode()),
            (b"x-routr-simulated", b"true" if simulated else b"false"),
            (b"x-routr-category", decision.category.encode()),
            (b"x-routr-attempts", str(attempts).encode()),
            (b"x-routr-overhead-ms", f"{overhead_s * 1000:.3f}".encode()),
        ]

    def finish(
        self, call: wire.ChatCall, decision: Decision, result: CallResult, key: KeyPolicy | None,
        call_id: str, overhead_s: float,
    ) -> None:  # fmt: skip
        """Account for a finished call: budget, metrics, the queued log record (built by
        the writer's thread, off the request path)."""
        gateway = self.gateway
        gateway.guard.charge(key, result.cost_usd)
        gateway.metrics.record(
            result.served_model, result.status, result.error_class, result.latency_s,
            overhead_s, result.cost_usd,
        )  # fmt: skip
        if gateway.writer is None:
            return
        messages = None
        if gateway.settings.log_content:
            messages = [(m.role, m.content) for m in call.messages]
        gateway.writer.submit_call(
            call_id, decision, result, streamed=call.stream, messages=messages
        )

    async def complete(
        self, send: Send, call: wire.ChatCall, decision: Decision, key: KeyPolicy | None,
        call_id: str, request_id: bytes, received: float,
    ) -> None:  # fmt: skip
        result = await self.gateway.executor.acomplete(
            decision.candidates, call.messages, max_tokens=call.max_tokens,
            temperature=call.temperature, extra=call.extra,
        )  # fmt: skip
        upstream = sum(a.latency_s for a in result.attempts)
        overhead = max(0.0, time.perf_counter() - received - upstream)
        headers = self.headers(
            decision, result.served_model, request_id, overhead, len(result.attempts)
        )
        self.finish(call, decision, result, key, call_id, overhead)
        if not result.ok:
            await _upstream_error(send, result, headers)
            return
        body = wire.completion(
            call_id, result.served_model or "", result.text, result.finish_reason, result.usage
        )
        await send_body(send, 200, json_bytes(body), JSON_TYPE, headers)

    async def stream(
        self, send: Send, receive: Receive, call: wire.ChatCall, decision: Decision,
        key: KeyPolicy | None, call_id: str, request_id: bytes, received: float,
    ) -> None:  # fmt: skip
        """Headers wait for the first delta (or the end); a client hanging up at any point
        cancels this task and with it the upstream request."""
        items = self.gateway.executor.astream(
            decision.candidates, call.messages, max_tokens=call.max_tokens,
            temperature=call.temperature, extra=call.extra, announce=True,
        )  # fmt: skip
        watch = WatchedStream(receive)
        final: CallResult | None = None
        accounted = False
        model = ""
        overhead = 0.0
        try:
            first: list[str] = []
            serving: str | None = None
            upstream = 0.0
            async for item in items:
                if isinstance(item, StreamStart):
                    serving, upstream = item.model, item.upstream_s
                    continue
                if isinstance(item, CallResult):
                    final = item
                    upstream = sum(a.latency_s for a in item.attempts)
                else:
                    first.append(item)
                break
            overhead = max(0.0, time.perf_counter() - received - upstream)
            attempts = 1 if final is None else len(final.attempts)
            headers = self.headers(decision, serving, request_id, overhead, attempts)
            if final is not None and not final.ok:
                watch.done()
                accounted = True
                self.finish(call, decision, final, key, call_id, overhead)
                await _upstream_error(send, final, headers)
                return
            model = serving or (final.served_model if final else "") or ""
            chunks = wire.ChunkWriter(call_id, model, int(time.time()))
            headers.append(SSE_TYPE)
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            opening = chunks.role() + b"".join([chunks.delta(text) for text in first])
            await send({"type": "http.response.body", "body": opening, "more_body": True})
            if final is None:
                async for item in items:
                    if isinstance(item, StreamStart):
                        continue
                    if isinstance(item, CallResult):
                        final = item
                        break
                    body = chunks.delta(item)
                    await send({"type": "http.response.body", "body": body, "more_body": True})
            if final is None or not final.ok:
                message = final.error if final else "the stream ended without a result"
                kind = final.error_class if final else "ServerError"
                tail = wire.sse(wire.error_body(message or "upstream failed", "server_error", kind))
            else:
                tail = chunks.finish(final.finish_reason or "stop")
                if call.include_usage:
                    tail += chunks.usage(final.usage)
                tail += wire.DONE
            watch.done()
            await send({"type": "http.response.body", "body": tail, "more_body": False})
        except asyncio.CancelledError:
            if not watch.absorbed():
                raise
        finally:
            watch.close()
            await items.aclose()  # type: ignore[attr-defined]
            if accounted:
                pass
            elif final is not None:
                self.finish(call, decision, final, key, call_id, overhead)
            else:  # the client hung up: the upstream call was cancelled
                self.gateway.metrics.record(
                    model or None, "cancelled", "ClientDisconnect", 0.0, overhead, None
                )


async def _upstream_error(send: Send, result: CallResult, headers: Headers) -> None:
    kind = result.error_class or "ProviderError"
    status = _STATUS_FOR_ERROR.get(kind, 502)
    code = {429: "rate_limit_exceeded", 504: "upstream_timeout", 503: "no_healthy_candidate"}.get(
        status, "upstream_error"
    )
    error_kind = "invalid_request_error" if status == 400 else "server_error"
    if status == 429:
        error_kind = "rate_limit_error"
    body = wire.error_body(result.error or "upstream failed", error_kind, code)
    await send_json(send, status, body, headers)


def model_names(gateway: Gateway) -> list[tuple[str, str]]:
    """``GET /v1/models``: the objectives, then the catalog's models and the standings'."""
    from routr_cli.providers.pricing import load_catalog

    names = dict.fromkeys(wire.OBJECTIVE_MODELS, "routr")
    for name in [*load_catalog(), *(s.model for row in gateway.table.slices.values() for s in row)]:
        names.setdefault(name, name.partition("/")[0])
    return list(names.items())


_FEEDBACK_SHAPE = 'send {"id": CALL_ID, "outcome": "pass"|"fail"}'


def build_app(gateway: Gateway) -> App:
    """The ASGI app uvicorn serves: five endpoints, the call-log writer started with it and
    flushed (after in-flight requests finished) when it shuts down."""
    chat = ChatHandler(gateway)
    models_body = json_bytes(wire.model_list(model_names(gateway)))

    async def models(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            gateway.guard.identify(_authorization(request_headers(scope)))
        except Denied as exc:
            await send_json(send, *_denied(exc, b""))
            return
        await send_body(send, 200, models_body, JSON_TYPE, [])

    async def healthz(scope: Scope, receive: Receive, send: Send) -> None:
        await send_json(send, 200, {"status": "ok", "standings": bool(gateway.table.slices)})

    async def metrics(scope: Scope, receive: Receive, send: Send) -> None:
        states = [(s.key, s.state) for s in gateway.executor.breakers.statuses()]
        text = gateway.metrics.render(states)
        if gateway.writer is not None:
            text += (
                f"routr_call_log_written_total {gateway.writer.written}\n"
                f"routr_call_log_dropped_total {gateway.writer.dropped}\n"
                f"routr_call_log_restarts_total {gateway.writer.restarts}\n"
            )
        content_type = (b"content-type", b"text/plain; version=0.0.4; charset=utf-8")
        await send_body(send, 200, text.encode(), content_type, [])

    async def feedback(scope: Scope, receive: Receive, send: Send) -> None:
        headers = request_headers(scope)
        try:
            gateway.guard.identify(_authorization(headers))
        except Denied as exc:
            await send_json(send, *_denied(exc, b""))
            return
        try:
            raw = await read_body(receive, headers, 10_000, gateway.settings.read_timeout_s)
            data = json.loads(raw)
        except ClientGone:
            return
        except (ValueError, BodyError):
            data = None
        if (
            not isinstance(data, dict)
            or data.get("outcome") not in ("pass", "fail")
            or not isinstance(data.get("id"), str)
        ):
            await send_json(send, 400, wire.error_body(_FEEDBACK_SHAPE, "invalid_request_error"))
            return
        if gateway.writer is None or not gateway.writer.knows(data["id"]):
            message = (
                f"no call {data['id']} served by this worker: record it with "
                "`routr feedback CALL_ID --pass|--fail` on the merged log"
            )
            await send_json(
                send, 404, wire.error_body(message, "invalid_request_error", "call_not_found")
            )
            return
        gateway.writer.submit_feedback(data["id"], data["outcome"])
        await send_json(send, 202, {"id": data["id"], "outcome": data["outcome"]})

    async def startup() -> None:
        if gateway.writer is not None:
            gateway.writer.start()

    async def shutdown() -> None:
        await gateway.executor.async_client.aclose()
        gateway.executor.client.close()
        if gateway.writer is not None:
            await asyncio.to_thread(gateway.writer.close)

    return App(
        {
            "/v1/chat/completions": {"POST": chat},
            "/v1/models": {"GET": models},
            "/v1/feedback": {"POST": feedback},
            "/healthz": {"GET": healthz},
            "/metrics": {"GET": metrics},
        },
        startup=startup,
        shutdown=shutdown,
    )


def load_gateway(settings: ServeSettings, guard: Guard) -> Gateway:
    """Everything a worker needs, read once: standings, catalog facts, clients."""
    from routr_cli.router.session import load_table

    try:
        table = load_table(settings.db)
    except RoutrError:
        raise
    except Exception as exc:  # pragma: no cover - mapped once, at the boundary
        raise ConfigError(f"cannot read standings from {settings.db}: {exc}") from exc
    from routr_cli.ranking import classify

    classify("")  # builds the classifier now, not in the first request (~0.5 s)
    executor = AsyncExecutor(
        UpstreamPool(max_connections=1000, max_idle=200),
        BreakerBoard(),
        settings.executor,
        resolver=cached_resolver(),
        keep_providers=True,
        pricer=snapshot_pricer(),
    )
    return Gateway(
        settings=settings,
        table=table,
        infos={},
        guard=guard,
        executor=executor,
        writer=CallLogWriter(settings.log_path),
    )
