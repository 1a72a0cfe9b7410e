"""``keep_providers`` (what `routr serve` uses): a provider is resolved once per model and
retry budget, not per call; what could not be resolved is tried again."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from router.router_support import cand

from routr_cli.errors import ConfigError
from routr_cli.providers.registry import ResolvedModel
from routr_cli.router.executor import Executor, ExecutorSettings


class CountingResolver:
    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []
        self.fail = False

    def __call__(self, model: str, client: Any, *, timeouts: Any, retry: Any) -> ResolvedModel:
        self.calls.append((model, retry.deadline_s))
        if self.fail:
            raise ConfigError("no key yet")
        return ResolvedModel(model, model.partition("/")[0], "m", False, object())  # type: ignore[arg-type]


@pytest.mark.parametrize("keep", [True, False])
def test_providers_are_kept_per_model_and_budget_only_when_asked(keep: bool) -> None:
    resolver = CountingResolver()
    settings = ExecutorSettings(deadline_s=120.0, candidate_s=60.0)
    executor = Executor(httpx.Client(), settings=settings, resolver=resolver, keep_providers=keep)
    first = executor._resolve(cand("a/m"), 60.0)
    assert executor._resolve(cand("a/m"), 60.0) is first or not keep
    executor._resolve(cand("b/m"), 60.0)
    executor._resolve(cand("a/m"), 119.9987)  # a last candidate: what is left of the call
    executor._resolve(cand("a/m"), 119.9951)  # the same 10 ms
    if keep:
        assert resolver.calls == [("a/m", 60.0), ("b/m", 60.0), ("a/m", 119.99)]
    else:  # the control: every call resolves, with the exact budget
        assert len(resolver.calls) == 5 and resolver.calls[-1] == ("a/m", 119.9951)


def test_a_candidate_that_could_not_be_resolved_is_tried_again() -> None:
    resolver = CountingResolver()
    executor = Executor(httpx.Client(), resolver=resolver, keep_providers=True)
    resolver.fail = True
    for _ in range(2):
        with pytest.raises(ConfigError):
            executor._resolve(cand("a/m"), 60.0)
    resolver.fail = False
    executor._resolve(cand("a/m"), 60.0)
    executor._resolve(cand("a/m"), 60.0)
    assert len(resolver.calls) == 3
