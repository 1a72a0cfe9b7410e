"""Map (method, path pattern) to handler functions.

Patterns are literal segments plus parameters: ``<name>`` (one segment),
``<int:name>`` (digits, converted to ``int``) and ``<path:name>`` (the rest of the
path, slashes included; last segment only). Matched values land in
``request.path_params``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from webapp.http import Request, Response, error_response

log = logging.getLogger(__name__)
Handler = Callable[[Request], Response]

_PARAM_RE = re.compile(r"^<(?:(?P<conv>[a-z]+):)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)>$")
_CONVERTERS = ("str", "int", "path")


@dataclass(frozen=True)
class _Segment:
    literal: str | None  # None for a parameter
    name: str = ""
    converter: str = "str"


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: str
    segments: tuple[_Segment, ...]
    handler: Handler

    @property
    def is_static(self) -> bool:
        return all(seg.literal is not None for seg in self.segments)

    def match(self, path: str) -> dict[str, Any] | None:
        parts = path.split("/")
        params: dict[str, Any] = {}
        for index, seg in enumerate(self.segments):
            if seg.converter == "path":
                rest = "/".join(parts[index:])
                if index >= len(parts) or not rest:
                    return None
                params[seg.name] = unquote(rest)
                return params
            if index >= len(parts):
                return None
            part = parts[index]
            if seg.literal is not None:
                if part != seg.literal:
                    return None
            elif seg.converter == "int":
                if not part.isascii() or not part.isdigit():
                    return None
                params[seg.name] = int(part)
            else:
                if not part:
                    return None
                params[seg.name] = unquote(part)
        return params if len(parts) == len(self.segments) else None


def _compile(pattern: str) -> tuple[_Segment, ...]:
    if not pattern.startswith("/"):
        raise ValueError(f"route pattern must start with '/': {pattern!r}")
    segments: list[_Segment] = []
    names: set[str] = set()
    raw_parts = pattern.split("/")
    for index, raw in enumerate(raw_parts):
        if not (raw.startswith("<") or raw.endswith(">")):
            segments.append(_Segment(literal=raw))
            continue
        match = _PARAM_RE.match(raw)
        if match is None:
            raise ValueError(f"bad parameter {raw!r} in {pattern!r}")
        converter = match.group("conv") or "str"
        name = match.group("name")
        if converter not in _CONVERTERS:
            raise ValueError(f"unknown converter {converter!r} in {pattern!r}")
        if name in names:
            raise ValueError(f"duplicate parameter {name!r} in {pattern!r}")
        if converter == "path" and index != len(raw_parts) - 1:
            raise ValueError(f"<path:{name}> must be the last segment of {pattern!r}")
        names.add(name)
        segments.append(_Segment(literal=None, name=name, converter=converter))
    return tuple(segments)


class Router:
    def __init__(self) -> None:
        self._routes: list[_Route] = []

    def add(self, method: str, path: str, handler: Handler) -> None:
        method = method.upper()
        segments = _compile(path)
        if any(r.method == method and r.pattern == path for r in self._routes):
            raise ValueError(f"route already registered: {method} {path}")
        self._routes.append(_Route(method, path, segments, handler))

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, path, handler)
            return handler

        return register

    def _candidates(self, path: str) -> list[tuple[_Route, dict[str, Any]]]:
        """Matching routes, static ones first, then in registration order."""
        found = []
        for route in sorted(self._routes, key=lambda r: not r.is_static):
            params = route.match(path)
            if params is not None:
                found.append((route, params))
        return found

    def dispatch(self, request: Request) -> Response:
        candidates = self._candidates(request.path)
        if not candidates:
            return error_response(404, f"no route for {request.method} {request.path}")
        for route, params in candidates:
            if route.method == request.method:
                request.path_params = params
                try:
                    return route.handler(request)
                except Exception:
                    log.exception("handler failed for %s %s", request.method, request.path)
                    return error_response(500, "internal error")
        allowed = ", ".join(sorted({route.method for route, _ in candidates}))
        return error_response(405, f"{request.method} not allowed on {request.path}", headers={"Allow": allowed})
