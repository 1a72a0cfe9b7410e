"""Variable scopes and dotted-path resolution during rendering."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from templ.errors import UndefinedError

_MISSING = object()


class Context:
    """A stack of scopes; inner scopes (loop variables) shadow outer ones."""

    def __init__(self, data: Mapping[str, Any], strict: bool = False) -> None:
        self._scopes: list[Mapping[str, Any]] = [data]
        self.strict = strict

    @contextmanager
    def push(self, scope: Mapping[str, Any]) -> Iterator[None]:
        self._scopes.append(scope)
        try:
            yield
        finally:
            self._scopes.pop()

    def resolve(self, path: tuple[str, ...], lineno: int) -> Any:
        value: Any = _MISSING
        for scope in reversed(self._scopes):
            if path[0] in scope:
                value = scope[path[0]]
                break
        for part in path[1:]:
            if value is _MISSING:
                break
            value = _step(value, part)
        if value is _MISSING:
            if self.strict:
                raise UndefinedError(f"line {lineno}: {'.'.join(path)} is undefined")
            return None
        return value


def _step(value: Any, part: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(part, _MISSING)
    if isinstance(value, (list, tuple)) and part.isdigit():
        index = int(part)
        return value[index] if index < len(value) else _MISSING
    return getattr(value, part, _MISSING)
