"""Delivery results, newest last, for the support dashboard."""

from __future__ import annotations

from notify.message import DeliveryResult


class Outbox:
    def __init__(self) -> None:
        self.results: list[DeliveryResult] = []

    def record(self, result: DeliveryResult) -> None:
        self.results.append(result)

    def failures(self) -> list[DeliveryResult]:
        return [r for r in self.results if not r.ok]

    def by_channel(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.channel] = counts.get(r.channel, 0) + 1
        return dict(sorted(counts.items()))
