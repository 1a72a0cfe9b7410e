"""The inverted index: term -> document -> field -> positions of the term.

Positions (see analysis.analyze_with_positions) let the searcher answer phrase
queries; frequencies are derived from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minisearch.analysis import analyze_with_positions

FORMAT_VERSION = 2  # 2 stores positions; version 1 files are re-indexed on load
DEFAULT_BOOSTS = {"title": 2.0, "body": 1.0}


class InvertedIndex:
    def __init__(self, boosts: Mapping[str, float] | None = None) -> None:
        self.boosts = dict(boosts or DEFAULT_BOOSTS)
        self._postings: dict[str, dict[str, dict[str, list[int]]]] = {}
        self._lengths: dict[str, dict[str, int]] = {}
        self._documents: dict[str, dict[str, str]] = {}

    # -- building -----------------------------------------------------------

    def add(self, doc_id: str, fields: Mapping[str, str]) -> None:
        """Index a document (replacing any previous version with the same id)."""
        unknown = set(fields) - set(self.boosts)
        if unknown:
            raise ValueError(f"unknown fields {sorted(unknown)} (known: {sorted(self.boosts)})")
        if doc_id in self._documents:
            self.remove(doc_id)
        self._documents[doc_id] = dict(fields)
        self._lengths[doc_id] = {}
        for field, text in fields.items():
            terms = analyze_with_positions(text)
            self._lengths[doc_id][field] = len(terms)
            for term, position in terms:
                per_field = self._postings.setdefault(term, {}).setdefault(doc_id, {})
                per_field.setdefault(field, []).append(position)

    def remove(self, doc_id: str) -> None:
        if doc_id not in self._documents:
            raise KeyError(doc_id)
        for term in {t for text in self._documents[doc_id].values() for t, _ in analyze_with_positions(text)}:
            docs = self._postings[term]
            docs.pop(doc_id, None)
            if not docs:
                del self._postings[term]
        del self._documents[doc_id]
        del self._lengths[doc_id]

    # -- reading ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._documents

    def document(self, doc_id: str) -> dict[str, str]:
        return dict(self._documents[doc_id])

    def postings(self, term: str) -> dict[str, dict[str, int]]:
        """doc_id -> field -> frequency of `term` (an analysed term)."""
        return {
            doc: {field: len(positions) for field, positions in fields.items()}
            for doc, fields in self._postings.get(term, {}).items()
        }

    def positions(self, term: str, doc_id: str, field: str) -> list[int]:
        """Sorted positions of `term` in one field of one document."""
        return self._postings.get(term, {}).get(doc_id, {}).get(field, [])

    def fields_of(self, doc_id: str) -> list[str]:
        return list(self._documents[doc_id])

    def docs_with(self, term: str) -> set[str]:
        return set(self._postings.get(term, {}))

    def field_length(self, doc_id: str, field: str) -> int:
        return self._lengths[doc_id].get(field, 0)

    def avg_field_length(self, field: str) -> float:
        if not self._lengths:
            return 0.0
        return sum(lengths.get(field, 0) for lengths in self._lengths.values()) / len(self._lengths)

    def all_doc_ids(self) -> set[str]:
        return set(self._documents)

    # -- persistence --------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "boosts": dict(self.boosts),
            "documents": {doc: dict(fields) for doc, fields in self._documents.items()},
            "lengths": {doc: dict(lengths) for doc, lengths in self._lengths.items()},
            "postings": {
                term: {doc: {f: list(p) for f, p in fields.items()} for doc, fields in docs.items()}
                for term, docs in self._postings.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InvertedIndex:
        version = data.get("version")
        if version == 1:
            # No positions stored: rebuild from the stored documents.
            index = cls(data["boosts"])
            for doc, fields in data["documents"].items():
                index.add(doc, fields)
            return index
        if version != FORMAT_VERSION:
            raise ValueError(f"unsupported index format version {version!r}")
        index = cls(data["boosts"])
        index._documents = {doc: dict(fields) for doc, fields in data["documents"].items()}
        index._lengths = {doc: dict(lengths) for doc, lengths in data["lengths"].items()}
        index._postings = {
            term: {doc: {f: list(p) for f, p in fields.items()} for doc, fields in docs.items()}
            for term, docs in data["postings"].items()
        }
        return index
