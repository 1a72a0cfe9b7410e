"""Searcher: match a parsed query against the index and rank with BM25."""

from __future__ import annotations

from typing import NamedTuple

from minisearch.analysis import analyze, analyze_with_positions
from minisearch.index import InvertedIndex
from minisearch.query import Clause, Phrase, parse_query
from minisearch.scoring import bm25


class Hit(NamedTuple):
    doc_id: str
    score: float


class Searcher:
    def __init__(self, index: InvertedIndex) -> None:
        self.index = index

    def _terms(self, clause: Clause) -> list[str]:
        return analyze(clause.text)

    def _matching(self, clause: Clause) -> set[str] | None:
        """Documents matching `clause`; None if it has no terms (only stopwords)."""
        terms = self._terms(clause)
        if not terms:
            return None
        docs = self.index.docs_with(terms[0])
        for term in terms[1:]:
            docs &= self.index.docs_with(term)
        if isinstance(clause, Phrase) and len(terms) > 1:
            return {doc for doc in docs if self._has_phrase(doc, clause)}
        return docs

    def _has_phrase(self, doc_id: str, phrase: Phrase) -> bool:
        """True if one field holds the phrase's terms at the phrase's relative offsets."""
        terms = analyze_with_positions(phrase.text)
        first = terms[0][1]
        offsets = [(term, position - first) for term, position in terms]
        for field in self.index.fields_of(doc_id):
            lists = {term: set(self.index.positions(term, doc_id, field)) for term, _ in offsets}
            anchor_term = offsets[0][0]
            for start in lists[anchor_term]:
                if all(start + offset in lists[term] for term, offset in offsets[1:]):
                    return True
        return False

    def search(self, text: str, limit: int = 10) -> list[Hit]:
        query = parse_query(text)
        candidates: set[str] | None = None
        scoring_terms: list[str] = []
        for group in query.groups:
            group_docs: set[str] = set()
            meaningful = False
            for word in group:
                docs = self._matching(word)
                if docs is None:
                    continue
                meaningful = True
                group_docs |= docs
                scoring_terms.extend(self._terms(word))
            if not meaningful:
                continue  # a group of stopwords constrains nothing
            candidates = group_docs if candidates is None else candidates & group_docs
        if candidates is None:
            return []
        for word in query.excluded:
            docs = self._matching(word)
            if docs:
                candidates -= docs
        hits = [Hit(doc, self._score(doc, scoring_terms)) for doc in candidates]
        hits.sort(key=lambda hit: (-hit.score, hit.doc_id))
        return hits[:limit]

    def _score(self, doc_id: str, terms: list[str]) -> float:
        doc_count = len(self.index)
        score = 0.0
        for term in dict.fromkeys(terms):
            postings = self.index.postings(term)
            fields = postings.get(doc_id)
            if not fields:
                continue
            for field, tf in fields.items():
                score += self.index.boosts[field] * bm25(
                    tf, len(postings), doc_count,
                    self.index.field_length(doc_id, field), self.index.avg_field_length(field),
                )
        return round(score, 6)
