"""Request and response objects shared by the router and the handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    target: str  # path plus optional query string, as sent by the client
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: Values captured by the route pattern (``<int:note_id>`` -> ``{"note_id": 3}``).
    path_params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        parts = urlsplit(self.target)
        self.path = parts.path or "/"
        self.query = {key: values[-1] for key, values in parse_qs(parts.query).items()}

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, sort_keys=True).encode("utf-8")
    merged = {"Content-Type": "application/json"}
    merged.update(headers or {})
    return Response(status=status, body=body, headers=merged)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": message}, status=status, headers=headers)
