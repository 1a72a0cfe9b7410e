"""HTTP server settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import ConfigError
from confkit.settings import Settings


@dataclass(frozen=True)
class ServerConfig:
    bind: str
    port: int
    workers: int
    debug: bool
    allowed_hosts: list[str] = field(default_factory=list)


def server_config(settings: Settings) -> ServerConfig:
    workers = settings.get_int("server.workers", 2)
    if not 1 <= workers <= 64:
        raise ConfigError("server.workers must be between 1 and 64")
    return ServerConfig(
        bind=settings.get_str("server.bind", "127.0.0.1"),
        port=settings.get_int("server.port", 8000),
        workers=workers,
        debug=settings.get_bool("server.debug", False),
        allowed_hosts=settings.get_list("server.allowed_hosts", []),
    )
