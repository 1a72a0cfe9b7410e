"""The classifier's index (inverted example vectors, built once) gives bit-identical answers.

``routr serve`` classifies every request, so ``classify`` visits only the examples that
share a term with the text. The reference below is the plain algorithm of the module
docstring (and of the site's JavaScript twin): every example, products summed in sorted
term order. Equality is exact, not approximate.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from routr_cli.ranking import classifier_model, classify, classify_with
from routr_cli.ranking.classifier import (
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


def texts() -> list[str]:
    prompts = [e.text for e in bundled_examples()]
    words = " ".join(prompts).split()
    rng = random.Random(12)
    mixed = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    return [*prompts, *mixed, "", "Say hello in one line.", "NewServer ErrTimeout parse_config"]


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
