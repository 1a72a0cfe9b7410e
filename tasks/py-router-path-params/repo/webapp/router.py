"""Map (method, path) to handler functions."""

from __future__ import annotations

import logging
from collections.abc import Callable

from webapp.http import Request, Response, error_response

log = logging.getLogger(__name__)
Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Handler] = {}

    def add(self, method: str, path: str, handler: Handler) -> None:
        key = (method.upper(), path)
        if key in self._routes:
            raise ValueError(f"route already registered: {method.upper()} {path}")
        self._routes[key] = handler

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(method, path, handler)
            return handler

        return register

    def dispatch(self, request: Request) -> Response:
        handler = self._routes.get((request.method, request.path))
        if handler is None:
            return error_response(404, f"no route for {request.method} {request.path}")
        try:
            return handler(request)
        except Exception:
            log.exception("handler failed for %s %s", request.method, request.path)
            return error_response(500, "internal error")
