"""Turn a token stream into a tree of nodes."""

from __future__ import annotations

import re

from templ.errors import TemplateSyntaxError
from templ.lexer import BLOCK, TEXT, VAR, Token
from templ.nodes import Expression, For, If, Literal, Lookup, Node, Output, Text

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_FOR_RE = re.compile(r"^for\s+(\S+)\s+in\s+(.+)$")


def parse_expression(source: str, lineno: int) -> Expression:
    """Parse a value expression: a dotted path or a quoted string literal."""
    text = source.strip()
    if not text:
        raise TemplateSyntaxError("empty expression", lineno)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Literal(text[1:-1])
    if _PATH_RE.match(text):
        return Lookup(tuple(text.split(".")), lineno)
    raise TemplateSyntaxError(f"invalid expression {text!r}", lineno)


class Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
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
                nodes.append(Output(parse_expression(token.value, token.lineno)))
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
            condition = parse_expression(token.value[2:], token.lineno)
            body, end = self._parse_until(("else", "endif"))
            orelse: list[Node] = []
            if end is not None and end.value == "else":
                orelse, _ = self._parse_until(("endif",))
            return If(condition, body, orelse)
        if keyword == "for":
            match = _FOR_RE.match(token.value)
            if not match or not _NAME_RE.match(match.group(1)):
                raise TemplateSyntaxError("expected {% for name in expr %}", token.lineno)
            iterable = parse_expression(match.group(2), token.lineno)
            body, _ = self._parse_until(("endfor",))
            return For(match.group(1), iterable, body)
        raise TemplateSyntaxError(f"unknown tag {keyword!r}", token.lineno)
