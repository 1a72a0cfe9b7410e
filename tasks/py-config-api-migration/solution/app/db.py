"""Database connection settings."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import ConfigError
from confkit.settings import Settings


@dataclass(frozen=True)
class DatabaseConfig:
    host: str
    port: int
    name: str
    user: str
    password: str
    pool_size: int
    ssl: bool

    @property
    def dsn(self) -> str:
        mode = "require" if self.ssl else "prefer"
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.name}?sslmode={mode}"


def db_config(settings: Settings) -> DatabaseConfig:
    host = settings.get_str("db.host", None)
    if not host:
        raise ConfigError("db.host is required")
    pool_size = settings.get_int("db.pool_size", 5)
    if pool_size < 1:
        raise ConfigError("db.pool_size must be at least 1")
    return DatabaseConfig(
        host=host,
        port=settings.get_int("db.port", 5432),
        name=settings.get_str("db.name", "helpdesk"),
        user=settings.get_str("db.user", "helpdesk"),
        password=settings.get_str("db.password", ""),
        pool_size=pool_size,
        ssl=settings.get_bool("db.ssl", False),
    )
