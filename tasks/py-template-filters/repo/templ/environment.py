"""Compile templates and render them against a data mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from templ.context import Context
from templ.lexer import tokenize
from templ.nodes import Node
from templ.parser import Parser


class Template:
    """A compiled template; render it as many times as needed."""

    def __init__(self, nodes: list[Node], env: "Environment") -> None:
        self._nodes = nodes
        self._env = env

    def render(self, data: Mapping[str, Any] | None = None, **extra: Any) -> str:
        values: dict[str, Any] = dict(data or {})
        values.update(extra)
        ctx = Context(values, strict=self._env.strict)
        out: list[str] = []
        for node in self._nodes:
            node.render(ctx, out)
        return "".join(out)


class Environment:
    """Holds compile options shared by templates."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict

    def from_string(self, source: str) -> Template:
        nodes = Parser(tokenize(source)).parse()
        return Template(nodes, self)
