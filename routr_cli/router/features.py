"""What a request needs, read from its messages: the policy's input.

Category and language come from the ranking's classifier (``routr_cli.ranking.classify``,
the same one `routr recommend` and the site's grader use), unless the caller overrides
them. Input tokens are estimated at four characters a token plus four per message (the
rule the simulated models bill by), so a model whose context window is too small is
dropped before a call is wasted on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_OUTPUT_TOKENS = 1024  # the answer budget assumed when the caller sets none
CAPABILITIES = ("tools", "json", "images", "streaming")


@dataclass(frozen=True)
class RequestFeatures:
    categories: Mapping[str, float]  # category -> weight, summing to 1 (empty: unknown)
    language: str | None
    input_tokens: int
    output_tokens: int = DEFAULT_OUTPUT_TOKENS
    needs: frozenset[str] = frozenset()
    evidence: Mapping[str, Sequence[str]] = field(default_factory=dict)
    overridden: bool = False  # --category given: no classifier involved

    def dominant_category(self, threshold: float) -> str | None:
        """The category holding at least ``threshold`` of the weight, if any."""
        if not self.categories:
            return None
        name, weight = max(self.categories.items(), key=lambda kv: (kv[1], kv[0]))
        return name if weight >= threshold else None


def estimate_tokens(messages: Sequence[tuple[str, str]]) -> int:
    return sum(math.ceil(len(content) / 4) + 4 for _, content in messages)


def features_for(
    messages: Sequence[tuple[str, str]],
    *,
    category: str | None = None,
    language: str | None = None,
    output_tokens: int | None = None,
    needs: frozenset[str] = frozenset(),
) -> RequestFeatures:
    """Classify the conversation (its user turns) unless ``category`` is given."""
    tokens = estimate_tokens(messages)
    budget = output_tokens if output_tokens is not None else DEFAULT_OUTPUT_TOKENS
    if category is not None:
        return RequestFeatures({category: 1.0}, language, tokens, budget, needs, overridden=True)
    from routr_cli.ranking.classifier import classify  # the ranking's: one place for it

    text = "\n".join(content for role, content in messages if role == "user")
    found = classify(text)
    evidence = {key: tuple(words) for key, words in found.evidence.items()}
    return RequestFeatures(
        dict(found.categories),
        language if language is not None else found.language,
        tokens,
        budget,
        needs,
        evidence,
    )
