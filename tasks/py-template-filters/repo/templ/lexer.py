"""Split template source into text, variable, block and comment tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from templ.errors import TemplateSyntaxError

TEXT, VAR, BLOCK = "text", "var", "block"
_TAG_RE = re.compile(r"({{.*?}}|{%.*?%}|{#.*?#})", re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    lineno: int


def tokenize(source: str) -> list[Token]:
    """Return the tokens of ``source``; comments are dropped."""
    tokens: list[Token] = []
    lineno = 1
    for part in _TAG_RE.split(source):
        if not part:
            continue
        if part.startswith("{{"):
            tokens.append(Token(VAR, part[2:-2].strip(), lineno))
        elif part.startswith("{%"):
            tokens.append(Token(BLOCK, part[2:-2].strip(), lineno))
        elif part.startswith("{#"):
            pass
        else:
            for opener in ("{{", "{%", "{#"):
                if opener in part:
                    line = lineno + part[: part.index(opener)].count("\n")
                    raise TemplateSyntaxError(f"unclosed tag {opener!r}", line)
            tokens.append(Token(TEXT, part, lineno))
        lineno += part.count("\n")
    return tokens
