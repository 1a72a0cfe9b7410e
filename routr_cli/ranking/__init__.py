"""Ranking: pure statistics over attempt rows (no database, no I/O)."""

from routr_cli.ranking.leaderboard import ALL, Leaderboard, Standing, rank
from routr_cli.ranking.stats import wilson_interval

__all__ = ["ALL", "Leaderboard", "Standing", "rank", "wilson_interval"]
