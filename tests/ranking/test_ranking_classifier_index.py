"""The classifier's index (inverted example vectors and lexicon tables, built once) gives
bit-identical answers.

``routr serve`` classifies every request, so ``classify`` visits only the examples and the
lexicon entries that share a term with the text, and ranks only the examples it resembles.
The references below are the plain algorithm of the module docstring (and of the site's
JavaScript twin): every example, every category's every term, products and weights summed
in sorted term order, every example ranked. Equality is exact, not approximate.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Mapping
from typing import Any

from routr_cli.ranking import classifier_model, classify, classify_with
from routr_cli.ranking.classifier import (
    Classification,
    _index,
    _norm,
    _similarities,
    _vector,
    bundled_examples,
    round6,
    tokenize,
)


def reference_cosine(query: Mapping[str, float], norm: float, example: Mapping[str, Any]) -> float:
    if norm == 0 or example["norm"] == 0:
        return 0.0
    vector = example["vector"]
    dot = 0.0
    for term in sorted(query):
        if term in vector:
            dot += query[term] * vector[term]
    return float(dot / (norm * example["norm"]))


def reference_terms(tokens: list[str]) -> list[str]:
    bigrams = [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]
    return sorted(set(tokens) | set(bigrams))


def reference_lexicon(
    table: Mapping[str, Mapping[str, float]], terms: list[str]
) -> dict[str, tuple[float, list[str]]]:
    out = {}
    for name in sorted(table):
        weights = table[name]
        total = 0.0
        hits = []
        for term in terms:
            if term in weights:
                total += weights[term]
                hits.append(term)
        out[name] = (total, hits)
    return out


def reference_shapes(model: Mapping[str, Any], text: str) -> dict[str, tuple[float, list[str]]]:
    """Every shape's pattern run over the text (no filter)."""
    out: dict[str, tuple[float, list[str]]] = {}
    for shape in model["shapes"]:
        found = sorted(set(re.findall(shape["pattern"], text, re.ASCII)))
        if found:
            count = min(len(found), shape["cap"])
            total, words = out.get(shape["language"], (0.0, []))
            out[shape["language"]] = (
                total + shape["weight"] * count,
                words + found[: shape["cap"]],
            )
    return out


def reference_classify(model: Mapping[str, Any], text: str) -> Classification:
    """The plain algorithm, step by step as the module docstring states it."""
    params = model["params"]
    tokens = tokenize(model, text)
    terms = reference_terms(tokens)
    query = _vector(model, tokens)
    qnorm = _norm(query)
    sims = [(round6(reference_cosine(query, qnorm, ex)), ex["id"], ex) for ex in model["examples"]]
    sims.sort(key=lambda s: (-s[0], s[1]))
    best_sim: dict[str, float] = {}
    for sim, _, ex in sims:
        best_sim.setdefault(ex["category"], sim)
    lexicon = reference_lexicon(model["categories"], terms)
    scores = {
        name: round6(lexicon[name][0] + params["similarity_weight"] * best_sim.get(name, 0.0))
        for name in sorted(model["categories"])
    }
    top = max(scores.values(), default=0.0)
    kept = sorted(
        (n for n, s in scores.items() if top >= params["min_score"] and s >= params["keep_ratio"] * top),
        key=lambda n: (-scores[n], n),
    )  # fmt: skip
    total = sum(scores[n] for n in kept)
    categories = {n: round6(scores[n] / total) for n in kept}
    evidence = {n: lexicon[n][1] for n in kept}
    similar = [ex_id for sim, ex_id, _ in sims[:3] if sim > 0]
    for n in kept:
        near = [ex_id for sim, ex_id, ex in sims[:3] if sim > 0 and ex["category"] == n]
        evidence[n] = evidence[n] + [f"similar to task {ex_id}" for ex_id in near]
    languages = reference_lexicon(model["languages"], terms)
    for name, (extra, words) in reference_shapes(model, text).items():
        total_l, hits = languages.get(name, (0.0, []))
        languages[name] = (total_l + extra, hits + words)
    ranked = sorted(languages, key=lambda n: (-languages[n][0], n))
    language = None
    if ranked and languages[ranked[0]][0] >= params["language_min"]:
        language = ranked[0]
        evidence[language] = languages[language][1]
    return Classification(categories, language, evidence, scores, similar)


def texts() -> list[str]:
    prompts = [e.text for e in bundled_examples()]
    words = " ".join(prompts).split()
    rng = random.Random(12)
    mixed = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    odd = ["\u212aelvin sorts İstanbul rows in a Go map", "naïve café goroutines: ﬁx the RACE"]
    shaped = [  # each shape with and without the text its filter looks for
        "rename parse_config and load_user_data",
        "@cached_property and @app.route",
        "ErrNotFound",
        "call f(timeout=3) then NewServer and ReadConfig",
        "use http.Handler and fmt.Println",
        "getUserName in onClick",
        "NewsFeed and Reader",
        "errors and Errata",
        "@ alone, _ alone, .",
    ]
    return [
        *prompts,
        *mixed,
        *odd,
        *shaped,
        "",
        "Say hello in one line.",
        "NewServer ErrTimeout parse_config",
    ]


def test_indexed_similarities_equal_the_plain_cosine_exactly() -> None:
    model = classifier_model()
    index = _index(model)
    compared = nonzero = 0
    for text in texts():
        query = _vector(model, tokenize(model, text))
        qnorm = _norm(query)
        got = _similarities(index, query, qnorm)
        want = [round6(reference_cosine(query, qnorm, ex)) for ex in model["examples"]]
        assert got == want, text
        compared += len(want)
        nonzero += sum(1 for w in want if w)
    assert nonzero > compared // 10  # the texts do overlap the examples


def test_classify_equals_the_plain_algorithm_exactly() -> None:
    model = classifier_model()
    found_language = found_similar = 0
    for text in texts():
        got = classify(text)
        assert got == reference_classify(model, text), text
        found_language += got.language is not None
        found_similar += bool(got.similar)
    assert found_language > 20 and found_similar > 100  # the comparison covers both parts


def test_classify_with_the_cached_index_equals_classify_with_a_fresh_model() -> None:
    model = classifier_model()  # a deep copy: nothing cached is shared with it
    for text in texts():
        assert classify(text) == classify_with(model, text), text


def test_a_changed_model_is_read_afresh_by_classify_with() -> None:
    """``classify_with`` derives its index per call: a caller's edited model is honoured."""
    model = classifier_model()
    text = "fix a data race in a Go worker pool"
    before = classify_with(model, text)
    model["categories"]["security"]["race"] = 50.0
    after = classify_with(model, text)
    assert next(iter(before.categories)) == "concurrency"
    assert next(iter(after.categories)) == "security"
    assert math.isclose(sum(after.categories.values()), 1.0, abs_tol=1e-5)
