"""HTTP server settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import ConfigError
from confkit.legacy import get_setting


@dataclass(frozen=True)
class ServerConfig:
    bind: str
    port: int
    workers: int
    debug: bool
    allowed_hosts: list[str] = field(default_factory=list)


def server_config() -> ServerConfig:
    workers = get_setting("server.workers", 2, cast=int)
    if not 1 <= workers <= 64:
        raise ConfigError("server.workers must be between 1 and 64")
    return ServerConfig(
        bind=get_setting("server.bind", "127.0.0.1"),
        port=get_setting("server.port", 8000, cast=int),
        workers=workers,
        debug=get_setting("server.debug", False, cast=bool),
        allowed_hosts=get_setting("server.allowed_hosts", [], cast="csv"),
    )
