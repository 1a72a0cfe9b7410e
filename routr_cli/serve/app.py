"""The gateway: an ASGI app (Starlette on uvicorn) over the router's policy and executor.

State built once per worker at start-up, so a request does only pure work and one
upstream call: the routing table (the standings in ``--db`` with call feedback folded
in), the catalog facts of every model (``model_infos``), provider configurations (a
cached resolver: no file is read per request), one ``UpstreamPool`` of keep-alive
connections to the providers, the breaker board, the key guard, the metrics and the
call-log writer thread.

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
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from routr_cli.errors import ConfigError, RoutrError
from routr_cli.providers.base import Usage
from routr_cli.providers.http_provider import Timeouts
from routr_cli.providers.registry import ResolvedModel, adapter_class, provider_config
from routr_cli.providers.retry import RetryPolicy
from routr_cli.providers.upstream_pool import UpstreamPool
from routr_cli.router.async_executor import AsyncExecutor, StreamStart
from routr_cli.router.breaker import BreakerBoard
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
        """Catalog facts, computed once per model name and kept."""
        missing = [n for n in names if n not in self.infos]
        if missing:
            from routr_cli.router.table import model_infos

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
            config = configs[provider_name] = provider_config(provider_name)
            config.api_key()
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


def _error(
    status: int,
    message: str,
    kind: str,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(wire.error_body(message, kind, code), status_code=status, headers=headers)


def _denied(exc: Denied, request_id: str) -> JSONResponse:
    headers = {"x-request-id": request_id}
    if exc.retry_after is not None:
        headers["retry-after"] = str(max(1, int(exc.retry_after + 0.999)))
    kind = "authentication_error" if exc.status == 401 else "rate_limit_error"
    if exc.status == 401:
        headers["www-authenticate"] = "Bearer"
    return _error(exc.status, str(exc), kind, exc.code, headers)


async def _read_body(request: Request, limit: int, timeout_s: float) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise wire.WireError(413, f"request body over {limit} bytes", code="request_too_large")

    async def read() -> bytes:
        parts: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise wire.WireError(
                    413, f"request body over {limit} bytes", code="request_too_large"
                )
            parts.append(chunk)
        return b"".join(parts)

    try:
        async with asyncio.timeout(timeout_s):  # wait_for would start a task per request
            return await read()
    except TimeoutError:
        raise wire.WireError(408, f"request body not received within {timeout_s:g}s") from None


class ChatHandler:
    """``POST /v1/chat/completions``."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.known_models: set[str] = set()

    async def handle(self, request: Request) -> Response:
        gateway = self.gateway
        received = time.perf_counter()
        from routr_cli.router.call_log import new_call_id

        call_id = new_call_id()
        request_id = request.headers.get("x-request-id") or call_id
        try:
            key = gateway.guard.identify(request.headers.get("authorization"))
            gateway.guard.admit(key)
        except Denied as exc:
            return _denied(exc, request_id)
        try:
            body = await _read_body(
                request, gateway.settings.max_body_bytes, gateway.settings.read_timeout_s
            )
            try:
                data = json.loads(body)
            except ValueError:
                raise wire.WireError(400, "the body is not valid JSON") from None
            call = wire.parse_chat(data, max_messages=gateway.settings.max_messages)
            decision = self.decide(call)
        except wire.WireError as exc:
            return JSONResponse(
                exc.body(),
                status_code=exc.status,
                headers={"x-request-id": request_id, **exc.headers},
            )
        except ClientDisconnect:
            return Response(status_code=499)
        if call.stream:
            return await self.stream(call, decision, key, call_id, request_id, received)
        return await self.complete(call, decision, key, call_id, request_id, received)

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
        pairs = [(m.role, m.content) for m in call.messages]
        try:
            features = features_for(
                pairs,
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
        names = tuple(s.model for row in gateway.table.slices.values() for s in row)
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
        self.known_models.add(name)

    def headers(
        self, decision: Decision, result: CallResult | None, served: str | None, request_id: str,
        overhead_s: float, attempts: int,
    ) -> dict[str, str]:  # fmt: skip
        simulated = any(c.simulated for c in decision.candidates if c.model == served)
        return {
            "x-request-id": request_id,
            "x-routr-model": served or "",
            "x-routr-simulated": "true" if simulated else "false",
            "x-routr-category": decision.category,
            "x-routr-attempts": str(attempts),
            "x-routr-overhead-ms": f"{overhead_s * 1000:.3f}",
        }

    def finish(
        self, call: wire.ChatCall, decision: Decision, result: CallResult, key: KeyPolicy | None,
        call_id: str, overhead_s: float,
    ) -> None:  # fmt: skip
        """Account for a finished call: budget, metrics, the queued log record."""
        gateway = self.gateway
        gateway.guard.charge(key, result.cost_usd)
        gateway.metrics.record(
            result.served_model, result.status, result.error_class, result.latency_s,
            overhead_s, result.cost_usd,
        )  # fmt: skip
        if gateway.writer is None:
            return
        from routr_cli.router.call_log import record_for

        pairs = [(m.role, m.content) for m in call.messages]
        gateway.writer.submit(
            record_for(
                call_id,
                decision,
                result,
                source="serve",
                streamed=call.stream,
                conversation_id=call_id,
                messages=pairs if gateway.settings.log_content else None,
            )
        )

    async def complete(
        self, call: wire.ChatCall, decision: Decision, key: KeyPolicy | None, call_id: str,
        request_id: str, received: float,
    ) -> Response:  # fmt: skip
        result = await self.gateway.executor.acomplete(
            decision.candidates, call.messages, max_tokens=call.max_tokens,
            temperature=call.temperature, extra=call.extra,
        )  # fmt: skip
        upstream = sum(a.latency_s for a in result.attempts)
        overhead = max(0.0, time.perf_counter() - received - upstream)
        headers = self.headers(
            decision, result, result.served_model, request_id, overhead, len(result.attempts)
        )
        self.finish(call, decision, result, key, call_id, overhead)
        if not result.ok:
            return _upstream_error(result, headers)
        body = wire.completion(
            call_id, result.served_model or "", result.text, result.finish_reason, result.usage
        )
        return JSONResponse(body, headers=headers)

    async def stream(
        self, call: wire.ChatCall, decision: Decision, key: KeyPolicy | None, call_id: str,
        request_id: str, received: float,
    ) -> Response:  # fmt: skip
        items = self.gateway.executor.astream(
            decision.candidates, call.messages, max_tokens=call.max_tokens,
            temperature=call.temperature, extra=call.extra, announce=True,
        )  # fmt: skip
        # Wait for the first delta (or the end) before the headers go out.
        first: list[str] = []
        serving: str | None = None
        upstream = 0.0
        result: CallResult | None = None
        async for item in items:
            if isinstance(item, StreamStart):
                serving, upstream = item.model, item.upstream_s
                continue
            if isinstance(item, CallResult):
                result = item
                upstream = sum(a.latency_s for a in item.attempts)
            else:
                first.append(item)
            break
        overhead = max(0.0, time.perf_counter() - received - upstream)
        attempts = 1 if result is None else len(result.attempts)
        headers = self.headers(decision, result, serving, request_id, overhead, attempts)
        if result is not None and not result.ok:
            self.finish(call, decision, result, key, call_id, overhead)
            return _upstream_error(result, headers)
        created = int(time.time())
        model = serving or (result.served_model if result else "") or ""

        async def body() -> AsyncIterator[bytes]:
            final = result
            try:
                yield wire.chunk(call_id, model, created, {"role": "assistant", "content": ""})
                for text in first:
                    yield wire.chunk(call_id, model, created, {"content": text})
                if final is None:
                    async for item in items:
                        if isinstance(item, StreamStart):
                            continue
                        if isinstance(item, CallResult):
                            final = item
                            break
                        yield wire.chunk(call_id, model, created, {"content": item})
                if final is None or not final.ok:
                    message = final.error if final else "the stream ended without a result"
                    kind = final.error_class if final else "ServerError"
                    yield wire.sse(
                        wire.error_body(message or "upstream failed", "server_error", kind)
                    )
                    return
                yield wire.chunk(call_id, model, created, {}, final.finish_reason or "stop")
                if call.include_usage:
                    yield wire.usage_chunk(call_id, model, created, final.usage)
                yield wire.DONE
            finally:
                await items.aclose()  # type: ignore[attr-defined]
                if final is not None:
                    self.finish(call, decision, final, key, call_id, overhead)
                else:  # the client hung up mid-stream: the upstream call was cancelled
                    self.gateway.metrics.record(
                        model, "cancelled", "ClientDisconnect", 0.0, overhead, None
                    )

        return StreamingResponse(body(), media_type="text/event-stream", headers=headers)


def _upstream_error(result: CallResult, headers: dict[str, str]) -> JSONResponse:
    kind = result.error_class or "ProviderError"
    status = _STATUS_FOR_ERROR.get(kind, 502)
    code = {429: "rate_limit_exceeded", 504: "upstream_timeout", 503: "no_healthy_candidate"}.get(
        status, "upstream_error"
    )
    error_kind = "invalid_request_error" if status == 400 else "server_error"
    if status == 429:
        error_kind = "rate_limit_error"
    return _error(status, result.error or "upstream failed", error_kind, code, headers)


def model_names(gateway: Gateway) -> list[tuple[str, str]]:
    """``GET /v1/models``: the objectives, then the catalog's models and the standings'."""
    from routr_cli.providers.pricing import load_catalog

    names = dict.fromkeys(wire.OBJECTIVE_MODELS, "routr")
    for name in [*load_catalog(), *(s.model for row in gateway.table.slices.values() for s in row)]:
        names.setdefault(name, name.partition("/")[0])
    return list(names.items())


def build_app(gateway: Gateway) -> Starlette:
    chat = ChatHandler(gateway)
    models_body = wire.model_list(model_names(gateway))

    async def models(request: Request) -> Response:
        try:
            gateway.guard.identify(request.headers.get("authorization"))
        except Denied as exc:
            return _denied(exc, "")
        return JSONResponse(models_body)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "standings": bool(gateway.table.slices)})

    async def metrics(request: Request) -> Response:
        states = [(s.key, s.state) for s in gateway.executor.breakers.statuses()]
        text = gateway.metrics.render(states)
        if gateway.writer is not None:
            text += (
                f"routr_call_log_written_total {gateway.writer.written}\n"
                f"routr_call_log_dropped_total {gateway.writer.dropped}\n"
            )
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    async def feedback(request: Request) -> Response:
        try:
            gateway.guard.identify(request.headers.get("authorization"))
        except Denied as exc:
            return _denied(exc, "")
        try:
            data = json.loads(await _read_body(request, 10_000, gateway.settings.read_timeout_s))
        except (ValueError, wire.WireError):
            return _error(
                400, 'send {"id": CALL_ID, "outcome": "pass"|"fail"}', "invalid_request_error"
            )
        if (
            not isinstance(data, dict)
            or data.get("outcome") not in ("pass", "fail")
            or not isinstance(data.get("id"), str)
        ):
            return _error(
                400, 'send {"id": CALL_ID, "outcome": "pass"|"fail"}', "invalid_request_error"
            )
        if gateway.writer is None or not gateway.writer.knows(data["id"]):
            return _error(
                404,
                f"no call {data['id']} served by this worker: record it with "
                "`routr feedback CALL_ID --pass|--fail` on the merged log",
                "invalid_request_error",
                "call_not_found",
            )
        gateway.writer.submit_feedback(data["id"], data["outcome"])
        return JSONResponse({"id": data["id"], "outcome": data["outcome"]}, status_code=202)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if gateway.writer is not None:
            gateway.writer.start()
        try:
            yield
        finally:
            await gateway.executor.async_client.aclose()
            gateway.executor.client.close()
            if gateway.writer is not None:
                await asyncio.to_thread(gateway.writer.close)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("routr serve: unexpected error", exc_info=exc)
        return _error(
            500, "internal error in routr serve (see its log)", "server_error", "internal"
        )

    return Starlette(
        exception_handlers={Exception: crashed},
        routes=[
            Route("/v1/chat/completions", chat.handle, methods=["POST"]),
            Route("/v1/models", models, methods=["GET"]),
            Route("/v1/feedback", feedback, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
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
