"""Exceptions raised by the pool and its connections."""


class PoolError(Exception):
    """Base class for pool errors."""


class PoolExhausted(PoolError):
    """No connection became available within the acquire timeout."""


class PoolClosed(PoolError):
    """The pool was closed; no more connections are handed out."""


class ConnectionBroken(PoolError):
    """The driver reported the connection unusable (server restart, reset, ...)."""
