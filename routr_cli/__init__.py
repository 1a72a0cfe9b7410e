"""Routr: honest, cost-aware rankings of coding models, and a router built on them."""

__version__ = "0.1.0"
