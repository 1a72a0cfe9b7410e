"""Turn text into index terms: fold, lowercase, split, drop stopwords, stem."""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset(
    "a an and are as at be but by for from has have in is it its of on or so than that the "
    "their then there these they this to was were will with".split()
)
TOKEN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """ASCII-fold and lowercase: 'Café' -> 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def stem(word: str) -> str:
    """A deliberately light plural stemmer (no Porter: support staff must predict it)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Raw tokens, before stopword removal and stemming."""
    return TOKEN.findall(fold(text))


def analyze_with_positions(text: str) -> list[tuple[str, int]]:
    """(term, position) pairs; positions count raw tokens, so a dropped stopword still
    takes up a position and phrase queries can require the same gaps."""
    return [(stem(token), position) for position, token in enumerate(tokens(text)) if token not in STOPWORDS]


def analyze(text: str) -> list[str]:
    """The index terms of `text`, in order."""
    return [term for term, _ in analyze_with_positions(text)]
