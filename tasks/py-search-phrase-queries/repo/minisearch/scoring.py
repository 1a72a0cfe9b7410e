"""Okapi BM25."""

from __future__ import annotations

import math

K1 = 1.2
B = 0.75


def idf(doc_freq: int, doc_count: int) -> float:
    return math.log(1 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25(tf: int, doc_freq: int, doc_count: int, field_length: int, avg_field_length: float) -> float:
    if tf == 0 or doc_count == 0:
        return 0.0
    norm = 1 - B + B * (field_length / avg_field_length if avg_field_length else 1.0)
    return idf(doc_freq, doc_count) * tf * (K1 + 1) / (tf + K1 * norm)
