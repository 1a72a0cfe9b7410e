"""The query language: required words and "quoted phrases", OR alternatives, -exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field


class QuerySyntaxError(ValueError):
    """A query the parser cannot make sense of."""


@dataclass(frozen=True)
class Word:
    """One word as typed by the user (analysis happens at search time)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """Quoted text: its terms must appear in this order, at the same relative positions."""

    text: str


Clause = Word | Phrase


@dataclass
class Query:
    groups: list[list[Clause]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Clause] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.groups


def _lex(text: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: ("or", ""), ("word", w), ("phrase", p), ("not", "")."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "-" and (i + 1 >= n or text[i + 1].isspace()):
            raise QuerySyntaxError("'-' must be followed by a word or phrase")
        if ch == "-":
            out.append(("not", ""))
            i += 1
            continue
        if ch == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QuerySyntaxError("unbalanced quote: a phrase needs a closing '\"'")
            out.append(("phrase", text[i + 1 : close]))
            i = close + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        word = text[start:i]
        out.append(("or", "") if word == "OR" else ("word", word))
    return out


def parse_query(text: str) -> Query:
    query = Query()
    pending_or = False
    negate = False
    for kind, value in _lex(text):
        if kind == "or":
            if not query.groups or pending_or or negate:
                raise QuerySyntaxError("OR needs a word on both sides")
            pending_or = True
            continue
        if kind == "not":
            if pending_or:
                raise QuerySyntaxError("an exclusion cannot be an OR alternative")
            negate = True
            continue
        clause: Clause = Word(value) if kind == "word" else Phrase(value)
        if negate:
            query.excluded.append(clause)
            negate = False
        elif pending_or:
            query.groups[-1].append(clause)
            pending_or = False
        else:
            query.groups.append([clause])
    if pending_or:
        raise QuerySyntaxError("OR needs a word on both sides")
    if negate:
        raise QuerySyntaxError("'-' must be followed by a word or phrase")
    return query
