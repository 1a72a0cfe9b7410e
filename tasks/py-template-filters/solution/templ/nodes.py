"""The compiled template tree and how each node renders itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

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

    def evaluate_lenient(self, ctx: Context) -> Any:
        """Resolve without raising in strict mode (for ``default``)."""
        return ctx.resolve(self.path, self.lineno, strict=False)


@dataclass
class FilterCall:
    name: str
    func: Callable[..., Any]
    args: list[Expression]


@dataclass
class Filtered(Expression):
    """``base | f1:arg | f2``: the base value passed through each filter in turn."""

    base: Expression
    filters: list[FilterCall]

    def evaluate(self, ctx: Context) -> Any:
        if self.filters[0].name == "default" and isinstance(self.base, Lookup):
            value = self.base.evaluate_lenient(ctx)
        else:
            value = self.base.evaluate(ctx)
        for call in self.filters:
            value = call.func(value, *[arg.evaluate(ctx) for arg in call.args])
        return value


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
