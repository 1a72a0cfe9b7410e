"""The compiled template tree and how each node renders itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from templ.context import Context


class Node:
    def render(self, ctx: Context, out: list[str]) -> None:
        raise NotImplementedError


class Expression:
    def evaluate(self, ctx: Context) -> Any:
        raise NotImplementedError


@dataclass
class Literal(Expression):
    value: Any

    def evaluate(self, ctx: Context) -> Any:
        return self.value


@dataclass
class Lookup(Expression):
    path: tuple[str, ...]
    lineno: int

    def evaluate(self, ctx: Context) -> Any:
        return ctx.resolve(self.path, self.lineno)


@dataclass
class Text(Node):
    text: str

    def render(self, ctx: Context, out: list[str]) -> None:
        out.append(self.text)


@dataclass
class Output(Node):
    expr: Expression

    def render(self, ctx: Context, out: list[str]) -> None:
        value = self.expr.evaluate(ctx)
        out.append("" if value is None else str(value))


@dataclass
class If(Node):
    condition: Expression
    body: list[Node] = field(default_factory=list)
    orelse: list[Node] = field(default_factory=list)

    def render(self, ctx: Context, out: list[str]) -> None:
        branch = self.body if self.condition.evaluate(ctx) else self.orelse
        for node in branch:
            node.render(ctx, out)


@dataclass
class For(Node):
    target: str
    iterable: Expression
    body: list[Node] = field(default_factory=list)

    def render(self, ctx: Context, out: list[str]) -> None:
        items = list(self.iterable.evaluate(ctx) or [])
        for index, item in enumerate(items):
            loop = {"index": index + 1, "first": index == 0, "last": index == len(items) - 1}
            with ctx.push({self.target: item, "loop": loop}):
                for node in self.body:
                    node.render(ctx, out)
