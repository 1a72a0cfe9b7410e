"""Simulated models (``sim/...``): invented models served over real HTTP, always labelled.

``load_sim_models()`` reads ``models.toml``; ``start_sim_server(tasks_dir, seed,
latency_scale)`` serves them in-process on 127.0.0.1 (OpenAI wire format);
``is_simulated(name)`` and ``display_name(name)`` keep them labelled everywhere.
Imports stay light: the server loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routr_cli.providers.sim.catalog import (
    SIMULATED_LABEL,
    SimModel,
    display_name,
    get_sim_model,
    is_simulated,
    load_sim_models,
)

if TYPE_CHECKING:
    from routr_cli.providers.sim.server import SimServerHandle, start_sim_server

__all__ = [
    "SIMULATED_LABEL",
    "SimModel",
    "SimServerHandle",
    "display_name",
    "get_sim_model",
    "is_simulated",
    "load_sim_models",
    "start_sim_server",
]


def __getattr__(name: str) -> Any:
    if name in ("start_sim_server", "SimServerHandle"):
        from routr_cli.providers.sim import server

        return getattr(server, name)
    raise AttributeError(name)
