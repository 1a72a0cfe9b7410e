"""Turn a token stream into a tree of nodes."""

from __future__ import annotations

import re
from collections.abc import Mapping

from templ.errors import TemplateSyntaxError
from templ.lexer import BLOCK, TEXT, VAR, Token
from templ.filters import Filter
from templ.nodes import Expression, FilterCall, Filtered, For, If, Literal, Lookup, Node, Output, Text

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_FOR_RE = re.compile(r"^for\s+(\S+)\s+in\s+(.+)$", re.DOTALL)
_INT_RE = re.compile(r"^-?[0-9]+$")


def _split_outside_quotes(text: str, separator: str, maxsplit: int = -1) -> list[str]:
    """Split on ``separator`` except inside single- or double-quoted strings."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == separator and (maxsplit < 0 or len(parts) < maxsplit):
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_expression(source: str, lineno: int, filters: Mapping[str, Filter] | None = None) -> Expression:
    """Parse ``value | filter:arg,arg | filter`` where value is a path or a literal."""
    segments = _split_outside_quotes(source, "|")
    base = _parse_value(segments[0], lineno)
    if len(segments) == 1:
        return base
    calls: list[FilterCall] = []
    for segment in segments[1:]:
        name, *rest = _split_outside_quotes(segment, ":", maxsplit=1)
        name = name.strip()
        if not _NAME_RE.match(name):
            raise TemplateSyntaxError(f"invalid filter {segment.strip()!r}", lineno)
        func = (filters or {}).get(name)
        if func is None:
            raise TemplateSyntaxError(f"unknown filter {name!r}", lineno)
        args = [_parse_value(arg, lineno) for arg in _split_outside_quotes(rest[0], ",")] if rest else []
        calls.append(FilterCall(name, func, args))
    return Filtered(base, calls)


def _parse_value(source: str, lineno: int) -> Expression:
    text = source.strip()
    if not text:
        raise TemplateSyntaxError("empty expression", lineno)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Literal(text[1:-1])
    if _INT_RE.match(text):
        return Literal(int(text))
    if _PATH_RE.match(text):
        return Lookup(tuple(text.split(".")), lineno)
    raise TemplateSyntaxError(f"invalid expression {text!r}", lineno)


class Parser:
    def __init__(self, tokens: list[Token], filters: Mapping[str, Filter] | None = None) -> None:
        self._tokens = tokens
        self._filters = filters or {}
        self._pos = 0

    def parse(self) -> list[Node]:
        nodes, end = self._parse_until(())
        if end is not None:
            raise TemplateSyntaxError(f"unexpected {{% {end.value} %}}", end.lineno)
        return nodes

    def _parse_until(self, stops: tuple[str, ...]) -> tuple[list[Node], Token | None]:
        nodes: list[Node] = []
        while self._pos < len(self._tokens):
            token = self._tokens[self._pos]
            self._pos += 1
            if token.kind == TEXT:
                nodes.append(Text(token.value))
            elif token.kind == VAR:
                nodes.append(Output(parse_expression(token.value, token.lineno, self._filters)))
            elif token.kind == BLOCK:
                keyword = token.value.split(None, 1)[0] if token.value else ""
                if keyword in stops:
                    return nodes, token
                nodes.append(self._parse_block(keyword, token))
        if stops:
            last = self._tokens[-1].lineno if self._tokens else 1
            raise TemplateSyntaxError(f"missing {{% {stops[-1]} %}}", last)
        return nodes, None

    def _parse_block(self, keyword: str, token: Token) -> Node:
        if keyword == "if":
            condition = parse_expression(token.value[2:], token.lineno, self._filters)
            body, end = self._parse_until(("else", "endif"))
            orelse: list[Node] = []
            if end is not None and end.value == "else":
                orelse, _ = self._parse_until(("endif",))
            return If(condition, body, orelse)
        if keyword == "for":
            match = _FOR_RE.match(token.value)
            if not match or not _NAME_RE.match(match.group(1)):
                raise TemplateSyntaxError("expected {% for name in expr %}", token.lineno)
            iterable = parse_expression(match.group(2), token.lineno, self._filters)
            body, _ = self._parse_until(("endfor",))
            return For(match.group(1), iterable, body)
        raise TemplateSyntaxError(f"unknown tag {keyword!r}", token.lineno)
