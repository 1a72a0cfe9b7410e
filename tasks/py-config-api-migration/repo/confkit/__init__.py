"""Shared configuration library."""

from confkit.settings import MissingSetting, Settings

__all__ = ["MissingSetting", "Settings"]
