"""Data-driven rules evaluated against order facts. The API lives in rules.engine."""
