"""Samples and series identities."""

from __future__ import annotations

from typing import NamedTuple


class Sample(NamedTuple):
    timestamp: int  # unix seconds
    value: float


class SeriesKey(NamedTuple):
    """A metric name plus its sorted label pairs."""

    name: str
    labels: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, name: str, labels: dict[str, str]) -> SeriesKey:
        return cls(name, tuple(sorted(labels.items())))

    def matches(self, name: str, selector: dict[str, str]) -> bool:
        own = dict(self.labels)
        return self.name == name and all(own.get(k) == v for k, v in selector.items())
