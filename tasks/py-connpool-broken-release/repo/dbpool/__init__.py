"""A thread-safe database connection pool."""

from dbpool.connection import Connection
from dbpool.errors import ConnectionBroken, PoolClosed, PoolError, PoolExhausted
from dbpool.health import HealthChecker
from dbpool.pool import ConnectionPool

__all__ = [
    "Connection",
    "ConnectionBroken",
    "ConnectionPool",
    "HealthChecker",
    "PoolClosed",
    "PoolError",
    "PoolExhausted",
]
