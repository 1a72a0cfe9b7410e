"""The query language: required words, OR alternatives, -exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field


class QuerySyntaxError(ValueError):
    """A query the parser cannot make sense of."""


@dataclass(frozen=True)
class Word:
    """One word as typed by the user (analysis happens at search time)."""

    text: str


@dataclass
class Query:
    groups: list[list[Word]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Word] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.groups


def parse_query(text: str) -> Query:
    query = Query()
    pending_or = False
    for token in text.split():
        if token == "OR":
            if not query.groups or pending_or:
                raise QuerySyntaxError("OR needs a word on both sides")
            pending_or = True
            continue
        if token.startswith("-"):
            if pending_or:
                raise QuerySyntaxError("an exclusion cannot be an OR alternative")
            if len(token) == 1:
                raise QuerySyntaxError("'-' must be followed by a word")
            query.excluded.append(Word(token[1:]))
            continue
        if pending_or:
            query.groups[-1].append(Word(token))
            pending_or = False
        else:
            query.groups.append([Word(token)])
    if pending_or:
        raise QuerySyntaxError("OR needs a word on both sides")
    return query
