"""Map a task description to category weights and a language, deterministically.

Two signals, both explainable: a hand-written lexicon (``lexicon.py``: words and
bigrams with weights per category and language) and the cosine similarity of the text
to the bundled tasks' prompts (tf-idf vectors). ``classifier_model()`` is the whole
classifier as plain JSON-able data; ``classify_with(model, text)`` is a pure function
over it that uses only what vanilla JavaScript reproduces bit for bit: ASCII
tokenising, dictionary lookups, sums in sorted order, one square root, and rounding as
``Math.round(x * 1e6) / 1e6``. The site's grader runs the same model in the browser.

The algorithm (docs/methodology.md, "Classifier"):

1. tokens: every match of ``[A-Za-z0-9+#]+``, ASCII-lowercased; a token found in
   ``synonyms`` is replaced; a token ending in ``s`` (length > 3) whose stem is a known
   term is stemmed. Bigrams are adjacent tokens joined by ``_``.
2. lexicon score of a category or language: the sum of the weights of the distinct
   terms (tokens and bigrams) it lists, terms visited in sorted order.
3. similarity: tf-idf of the text (non-stopword tokens with an idf) against each
   example prompt; a category's similarity is its best example's cosine.
4. category score = round6(lexicon + similarity_weight * similarity); categories
   scoring at least ``keep_ratio`` of the best (and at least ``min_score``) are kept,
   weights = score / sum, rounded; ties broken by name.
5. language: lexicon score plus identifier shapes (``SHAPES``: snake_case for Python,
   camelCase for JavaScript, ``pkg.Exported`` and ``ErrX`` for Go, ...); the best
   language if it reaches ``language_min``, else none. Similar prompts do not decide a
   language: a description that names none should not get one by resemblance.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from routr_cli.ranking.lexicon import CATEGORY_TERMS, LANGUAGE_TERMS, STOPWORDS, SYNONYMS

TOKEN = re.compile(r"[A-Za-z0-9+#]+")
# Identifier shapes (regular expressions that mean the same in Python with re.ASCII and
# in JavaScript): how code in a description gives its language away.
SHAPES = (
    {
        "language": "python",
        "name": "snake_case",
        "pattern": r"\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b",
        "weight": 1.0,
        "cap": 4,
    },
    {
        "language": "python",
        "name": "@decorator",
        "pattern": r"\B@[a-z_][a-z0-9_]*\b",
        "weight": 1.0,
        "cap": 2,
    },
    {
        "language": "python",
        "name": "call(keyword=",
        "pattern": r"\([a-z_][a-z0-9_]*=",
        "weight": 1.0,
        "cap": 2,
    },
    {
        "language": "javascript",
        "name": "camelCase",
        "pattern": r"\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b",
        "weight": 1.0,
        "cap": 4,
    },
    {
        "language": "go",
        "name": "pkg.Exported",
        "pattern": r"\b[a-z]{2,}\.[A-Z][A-Za-z0-9]*\b",
        "weight": 1.5,
        "cap": 4,
    },
    {
        "language": "go",
        "name": "ErrSentinel",
        "pattern": r"\bErr[A-Z][A-Za-z0-9]*\b",
        "weight": 1.5,
        "cap": 4,
    },
    {
        "language": "go",
        "name": "VerbExported",
        "pattern": r"\b(?:New|Parse|Read|Write|Load|Must|Open|Handle|Verify)[A-Z][A-Za-z0-9]*\b",
        "weight": 1.0,
        "cap": 4,
    },
)
# What a shape's pattern cannot match without (one of these substrings must be in the
# text): checking it is far cheaper than running a pattern that starts with \b or \B
# over a long prompt. Keyed by the pattern itself, so an edited model's changed pattern
# simply runs unfiltered. (Python-only speed; the JavaScript twin runs every pattern.)
SHAPE_NEEDS: dict[str, tuple[str, ...]] = {
    str(SHAPES[0]["pattern"]): ("_",),
    str(SHAPES[1]["pattern"]): ("@",),
    str(SHAPES[4]["pattern"]): (".",),
    str(SHAPES[5]["pattern"]): ("Err",),
    str(SHAPES[6]["pattern"]): (
        "New", "Parse", "Read", "Write", "Load", "Must", "Open", "Handle", "Verify",
    ),
}  # fmt: skip
PARAMS = {
    "similarity_weight": 8.0,
    "keep_ratio": 0.5,
    "min_score": 1.0,
    "language_min": 1.5,
    "min_idf": 0.25,
}


@dataclass(frozen=True)
class Example:
    """One bundled task prompt the classifier compares against."""

    id: str
    category: str
    language: str
    text: str


@dataclass(frozen=True)
class Classification:
    categories: dict[str, float]  # category -> weight; weights sum to 1 (empty: no match)
    language: str | None
    evidence: dict[str, list[str]] = field(default_factory=dict)  # name -> deciding words
    scores: dict[str, float] = field(default_factory=dict)  # every category's raw score
    similar: list[str] = field(default_factory=list)  # the most similar bundled tasks

    def as_json(self) -> dict[str, Any]:
        return {
            "categories": dict(self.categories),
            "language": self.language,
            "evidence": {k: list(v) for k, v in self.evidence.items()},
            "scores": dict(self.scores),
            "similar": list(self.similar),
        }


def round6(x: float) -> float:
    """Rounding JavaScript reproduces exactly: ``Math.round(x * 1e6) / 1e6``."""
    return math.floor(x * 1_000_000 + 0.5) / 1_000_000


def _known_terms(model: Mapping[str, Any]) -> set[str]:
    known: set[str] = set(model["idf"])
    for table in (*model["categories"].values(), *model["languages"].values()):
        known.update(table)
    return known


def tokenize(
    model: Mapping[str, Any], text: str, known: AbstractSet[str] | None = None
) -> list[str]:
    """Tokens after synonyms and plural stemming (see the module docstring, step 1).
    ``known`` is ``_known_terms(model)`` when the caller already has it."""
    synonyms: Mapping[str, str] = model["synonyms"]
    if known is None:
        known = _known_terms(model)
    out = []
    # Tokens are ASCII, so lowering an ASCII text first finds the same tokens, lowered, in
    # one call (a non-ASCII text may lower to new ASCII letters, e.g. the Kelvin sign).
    lowered = text.isascii()
    for raw in TOKEN.findall(text.lower() if lowered else text):
        token = raw if lowered else raw.lower()
        if token in synonyms:
            token = synonyms[token]
        elif len(token) > 3 and token.endswith("s") and token[:-1] in known:
            token = token[:-1]
        out.append(token)
    return out


def _vector(model: Mapping[str, Any], tokens: list[str]) -> dict[str, float]:
    idf: Mapping[str, float] = model["idf"]
    counts = Counter(tokens)  # whole counts: count * idf is the float the sum of 1.0s gave
    return {t: counts[t] * idf[t] for t in sorted(counts) if t in idf}


def _norm(vector: Mapping[str, float]) -> float:
    total = 0.0
    for term in sorted(vector):
        total += vector[term] * vector[term]
    return math.sqrt(total)


Postings = dict[str, list[tuple[str, float]]]  # term -> (category or language, weight)


@dataclass(frozen=True)
class _Index:
    """What ``classify_with`` derives from a model before reading any text: the known
    terms, the examples' vectors and the lexicon tables inverted (term -> (example or name,
    weight)) so a query meets only the examples and names sharing one of its terms, and the
    shapes compiled. Derived, never stored in the model (the model stays plain JSON for the
    site's twin)."""

    known: frozenset[str]
    postings: dict[str, list[tuple[int, float]]]
    norms: list[float]
    shapes: list[tuple[str, re.Pattern[str], float, int, tuple[str, ...]]]
    categories: tuple[str, ...]  # sorted
    category_terms: Postings
    languages: tuple[str, ...]  # sorted
    language_terms: Postings
    rewrites: dict[str, str]  # lowered token -> token, where step 1 changes it
    bigram_heads: frozenset[str]  # first words of the lexicon's bigrams


def _rewrites(model: Mapping[str, Any], known: AbstractSet[str]) -> dict[str, str]:
    """Step 1's changes to a lowered token as one table: the synonyms, and every plural
    (``term + "s"``, longer than 3) of a known term that is not itself a synonym -- what
    ``tokenize`` decides token by token."""
    synonyms: Mapping[str, str] = model["synonyms"]
    out = {term + "s": term for term in known if len(term) + 1 > 3}
    out.update(synonyms)
    return out


def _tokens(model: Mapping[str, Any], index: _Index, text: str) -> list[str]:
    """``tokenize``, by table (``_rewrites``) for an ASCII text: one lookup per token."""
    if not text.isascii():
        return tokenize(model, text, index.known)
    rewrites = index.rewrites
    return [rewrites.get(token, token) for token in TOKEN.findall(text.lower())]


def _invert(table: Mapping[str, Mapping[str, float]]) -> Postings:
    out: Postings = {}
    for name in sorted(table):
        for term, weight in table[name].items():
            out.setdefault(term, []).append((name, weight))
    return out


def _index(model: Mapping[str, Any]) -> _Index:
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, example in enumerate(model["examples"]):
        for term, weight in example["vector"].items():
            postings.setdefault(term, []).append((i, weight))
    shapes = [
        (
            shape["language"],
            re.compile(shape["pattern"], re.ASCII),
            shape["weight"],
            shape["cap"],
            SHAPE_NEEDS.get(shape["pattern"], ()),
        )
        for shape in model["shapes"]
    ]
    norms = [example["norm"] for example in model["examples"]]
    known = frozenset(_known_terms(model))
    return _Index(
        known,
        postings,
        norms,
        shapes,
        tuple(sorted(model["categories"])),
        _invert(model["categories"]),
        tuple(sorted(model["languages"])),
        _invert(model["languages"]),
        _rewrites(model, known),
        frozenset(
            term.split("_", 1)[0]
            for table in (*model["categories"].values(), *model["languages"].values())
            for term in table
            if "_" in term
        ),
    )


def _lexicon_hits(
    names: tuple[str, ...], postings: Postings, terms: Iterable[str]
) -> dict[str, tuple[float, list[str]]]:
    """The lexicon scores through the inverted table: only the terms a name lists are
    visited, and each name's weights are still added in sorted term order from 0.0 (so the
    floats are identical): the terms found are sorted, not every term of the text."""
    found = sorted((term, hits) for term in terms if (hits := postings.get(term)))
    totals = dict.fromkeys(names, 0.0)
    words: dict[str, list[str]] = {name: [] for name in names}
    for term, hits in found:
        for name, weight in hits:
            totals[name] += weight
            words[name].append(term)
    return {name: (totals[name], words[name]) for name in names}


def _term_set(tokens: list[str], heads: AbstractSet[str]) -> set[str]:
    """The text's terms that can meet the lexicon: its tokens, and the bigrams (adjacent
    tokens joined by ``_``) whose first word starts a lexicon bigram -- tokens hold no
    ``_``, so no other bigram can be a lexicon term. Unordered: ``_lexicon_hits`` sorts the
    few it finds."""
    terms = set(tokens)
    terms.update([f"{a}_{b}" for a, b in itertools.pairwise(tokens) if a in heads])
    return terms


def _dots(index: _Index, query: Mapping[str, float], qnorm: float) -> dict[int, float]:
    """The dot products of the examples sharing a term with ``query`` (the others' are
    0.0), each summed in sorted term order from 0.0 -- the order the site's JavaScript adds
    them in, so the float results are identical. (``query`` is ``_vector``'s, in sorted
    term order already; every product is positive, so a shared term makes a dot > 0.)"""
    if qnorm == 0:
        return {}
    dots = [0.0] * len(index.norms)
    postings = index.postings
    for term, weight in query.items():
        hits = postings.get(term)
        if hits:
            for i, value in hits:
                dots[i] += weight * value
    return {i: dot for i, dot in enumerate(dots) if dot}


def _cosine(dot: float, qnorm: float, norm: float) -> float:
    return round6(float(dot / (qnorm * norm))) if dot and norm else 0.0


def _similarities(index: _Index, query: Mapping[str, float], qnorm: float) -> list[float]:
    """Every example's cosine with ``query``, rounded to 6 decimals (round6(0.0) is 0.0
    for the examples sharing no term)."""
    dots = _dots(index, query, qnorm)
    return [
        _cosine(dots[i], qnorm, norm) if i in dots else 0.0 for i, norm in enumerate(index.norms)
    ]


def classify_with(model: Mapping[str, Any], text: str) -> Classification:
    """Classify ``text`` with a classifier model (pure; the algorithm in the docstring)."""
    return _classify(model, _index(model), text)


def _classify(model: Mapping[str, Any], index: _Index, text: str) -> Classification:
    params = model["params"]
    tokens = _tokens(model, index, text)
    terms = _term_set(tokens, index.bigram_heads)
    query = _vector(model, tokens)
    qnorm = _norm(query)
    examples = model["examples"]
    # Only examples with a positive cosine can be among the most similar or raise a
    # category's best similarity above 0.0 (what a missing one reads as): rank just those,
    # as the whole list is ranked, by (-similarity, id).
    sims = []
    norms, floor = index.norms, math.floor
    for i, dot in _dots(index, query, qnorm).items():
        norm = norms[i]
        if not norm:
            continue
        sim = floor(float(dot / (qnorm * norm)) * 1_000_000 + 0.5) / 1_000_000  # round6
        if sim > 0:
            ex = examples[i]
            sims.append((sim, ex["id"], ex))
    sims.sort(key=lambda s: (-s[0], s[1]))
    best_sim: dict[str, float] = {}
    for sim, _, ex in sims:
        best_sim.setdefault(ex["category"], sim)
    lexicon = _lexicon_hits(index.categories, index.category_terms, terms)
    scores = {
        name: round6(lexicon[name][0] + params["similarity_weight"] * best_sim.get(name, 0.0))
        for name in index.categories
    }
    top = max(scores.values(), default=0.0)
    kept = sorted(
        (
            n
            for n, s in scores.items()
            if top >= params["min_score"] and s >= params["keep_ratio"] * top
        ),
        key=lambda n: (-scores[n], n),
    )
    total = sum(scores[n] for n in kept)
    categories = {n: round6(scores[n] / total) for n in kept}
    evidence = {n: lexicon[n][1] for n in kept}
    similar = [ex_id for _, ex_id, _ in sims[:3]]
    for n in kept:
        near = [ex_id for _, ex_id, ex in sims[:3] if ex["category"] == n]
        evidence[n] = evidence[n] + [f"similar to task {ex_id}" for ex_id in near]
    language, lang_words = _language(model, index, text, terms)
    if language is not None:
        evidence[language] = lang_words
    return Classification(categories, language, evidence, scores, similar)


def _shapes(index: _Index, text: str) -> dict[str, tuple[float, list[str]]]:
    """Identifier shapes: snake_case reads as Python, camelCase as JavaScript,
    ``pkg.Exported`` as Go. Each shape adds ``weight`` per distinct match, up to ``cap``."""
    out: dict[str, tuple[float, list[str]]] = {}
    for language, pattern, weight, cap, needs in index.shapes:
        if needs and not any(literal in text for literal in needs):
            continue  # it cannot match (SHAPE_NEEDS)
        found = sorted(set(pattern.findall(text)))
        if not found:
            continue
        count = min(len(found), cap)
        total, words = out.get(language, (0.0, []))
        out[language] = (total + weight * count, words + found[:cap])
    return out


def _language(
    model: Mapping[str, Any], index: _Index, text: str, terms: Iterable[str]
) -> tuple[str | None, list[str]]:
    params = model["params"]
    table = _lexicon_hits(index.languages, index.language_terms, terms)
    for name, (extra, words) in _shapes(index, text).items():
        total, hits = table.get(name, (0.0, []))
        table[name] = (total + extra, hits + words)
    ranked = sorted(table, key=lambda n: (-table[n][0], n))
    if ranked and table[ranked[0]][0] >= params["language_min"]:
        return ranked[0], table[ranked[0]][1]
    return None, []


def build_model(examples: Iterable[Example]) -> dict[str, Any]:
    """The classifier as plain data, from example prompts (idf and vectors computed here,
    rounded to 6 decimals so the JavaScript port reads exactly these numbers)."""
    base: dict[str, Any] = {
        "version": 1,
        "tokenizer": {
            "pattern": TOKEN.pattern,
            "lowercase": "ascii",
            "plural_stem": "strip a trailing 's' (len > 3) when the stem is a known term",
            "bigrams": "adjacent tokens joined by '_'",
        },
        "params": dict(PARAMS),
        "synonyms": dict(sorted(SYNONYMS.items())),
        "stopwords": sorted(STOPWORDS),
        "categories": {k: dict(sorted(v.items())) for k, v in sorted(CATEGORY_TERMS.items())},
        "languages": {k: dict(sorted(v.items())) for k, v in sorted(LANGUAGE_TERMS.items())},
        "shapes": [dict(shape) for shape in SHAPES],
        "idf": {},
        "examples": [],
    }
    items = sorted(examples, key=lambda e: e.id)
    # Tokenise with the lexicon known (idf is not known yet: stems follow the lexicon).
    docs = [tokenize(base, ex.text) for ex in items]
    n = len(docs)
    df: dict[str, int] = {}
    for tokens in docs:
        for token in set(tokens):
            if token not in STOPWORDS and not token.isdigit() and len(token) > 1:
                df[token] = df.get(token, 0) + 1
    idf = {}
    for term in sorted(df):
        value = round6(math.log((1 + n) / (1 + df[term])))
        if value >= PARAMS["min_idf"]:
            idf[term] = value
    base["idf"] = idf
    for ex, tokens in zip(items, docs, strict=True):
        vector = _vector(base, tokens)
        vector = {t: round6(v) for t, v in vector.items()}
        base["examples"].append(
            {
                "id": ex.id,
                "category": ex.category,
                "language": ex.language,
                "vector": vector,
                "norm": _norm(vector),
            }
        )
    return base


def bundled_examples() -> list[Example]:
    """The bundled suite's prompts (read from the package's task folders)."""
    from routr_cli.paths import bundled_tasks_dir
    from routr_cli.tasks.load import load_tasks_lenient

    root = bundled_tasks_dir()  # inside an installed package, or the checkout's tasks/
    tasks = load_tasks_lenient(root)
    loaded = tasks[0] if isinstance(tasks, tuple) else tasks
    return [Example(t.id, t.category, t.language, t.prompt) for t in loaded]


@cache
def _bundled_model() -> dict[str, Any]:
    return build_model(bundled_examples())


def classifier_model() -> dict[str, Any]:
    """The classifier over the bundled tasks, as plain JSON-able data (a fresh copy)."""
    import copy

    return copy.deepcopy(_bundled_model())


@cache
def _bundled_index() -> _Index:
    return _index(_bundled_model())


def classify(text: str) -> Classification:
    """Classify with the bundled classifier (its index built once: `routr serve` classifies
    every request)."""
    return _classify(_bundled_model(), _bundled_index(), text)


def leave_one_out(examples: list[Example]) -> dict[str, Any]:
    """Each example classified by a model built without it: top-1 category accuracy,
    language accuracy, and the misses (what the docs and a test report)."""
    hits_cat = hits_lang = 0
    misses = []
    for i, ex in enumerate(examples):
        model = build_model(examples[:i] + examples[i + 1 :])
        got = classify_with(model, ex.text)
        top = next(iter(got.categories), None)
        hits_cat += top == ex.category
        hits_lang += got.language == ex.language
        if top != ex.category or got.language != ex.language:
            misses.append(
                {
                    "id": ex.id,
                    "category": ex.category,
                    "got": top,
                    "language": ex.language,
                    "got_language": got.language,
                }
            )
    n = max(len(examples), 1)
    return {
        "n": len(examples),
        "category_top1": hits_cat / n,
        "language": hits_lang / n,
        "misses": misses,
    }
