"""Build the policy's inputs from the ranking and the catalog (the impure edge of routing).

``routing_table(board)`` turns the ranking's ``Leaderboard`` (``routr_cli.ranking``) into
``RouteStat`` slices, keeping only what routing reads; ``model_infos(names)`` reads the
pricing catalog, the simulated models' data and the provider configuration (data policy).
Built once per process (``routr serve``) or per call (``routr call``), so the decision
itself stays a few microseconds of pure code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from routr_cli.router.policy import ALL, ModelInfo, RouteStat, RoutingTable

# What a simulated model can do: plain chat, streamed or not (no tools, images or JSON mode).
SIM_CAPABILITIES = frozenset({"streaming"})


class BoardLike(Protocol):
    """The part of ``routr_cli.ranking.Leaderboard`` routing uses."""

    def categories(self) -> list[str]: ...

    def for_category(self, category: str = ...) -> Sequence[Any]: ...


def _stat(standing: Any) -> RouteStat | None:
    if standing.pass_rate is None or standing.rank is None:
        return None  # no graded attempt: nothing to route on
    return RouteStat(
        model=standing.model,
        category=standing.category,
        simulated=bool(standing.simulated),
        pass_rate=float(standing.pass_rate),
        ci_low=float(standing.ci_low),
        ci_high=float(standing.ci_high),
        n_tasks=int(standing.n_tasks),
        tie_group=int(standing.tie_group),
        cost_per_solved=standing.cost_per_solved,
        latency_p50_s=standing.latency_p50_s,
    )


def _slice(board: BoardLike, category: str) -> tuple[RouteStat, ...]:
    rows = board.for_category(category)  # the board's default solver: edit, when present
    stats = [s for s in (_stat(row) for row in rows) if s is not None]
    return tuple(stats)


def routing_table(board: BoardLike) -> RoutingTable:
    slices = {category: _slice(board, category) for category in [ALL, *board.categories()]}
    stats = [s for row in slices.values() for s in row]
    return RoutingTable(
        {k: v for k, v in slices.items() if v},
        simulated_only=bool(stats) and all(s.simulated for s in stats),
    )


def model_infos(names: Iterable[str]) -> dict[str, ModelInfo]:
    """Catalog facts for each ``provider/model`` name (unknown providers: bare facts)."""
    from routr_cli.providers.config import load_provider_configs
    from routr_cli.providers.pricing import load_catalog

    prices = load_catalog()
    configs = load_provider_configs()
    infos: dict[str, ModelInfo] = {}
    for name in dict.fromkeys(names):
        provider = name.partition("/")[0]
        config = configs.get(provider)
        price = prices.get(name)
        simulated = bool(config and config.simulated) or name.startswith("sim/")
        infos[name] = ModelInfo(
            name=name,
            provider=provider,
            simulated=simulated,
            input_per_mtok=price.input_per_mtok if price else None,
            output_per_mtok=price.output_per_mtok if price else None,
            context_window=price.context_window if price else None,
            capabilities=SIM_CAPABILITIES if simulated else None,
            zdr=bool(config and config.zdr),
            data_collection=config.data_collection if config else "allow",
        )
    return infos
