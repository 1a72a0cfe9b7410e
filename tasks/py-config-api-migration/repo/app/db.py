"""Database connection settings."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import ConfigError
from confkit.legacy import get_setting


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


def db_config() -> DatabaseConfig:
    host = get_setting("db.host")
    if not host:
        raise ConfigError("db.host is required")
    pool_size = get_setting("db.pool_size", 5, cast=int)
    if pool_size < 1:
        raise ConfigError("db.pool_size must be at least 1")
    return DatabaseConfig(
        host=host,
        port=get_setting("db.port", 5432, cast=int),
        name=get_setting("db.name", "helpdesk"),
        user=get_setting("db.user", "helpdesk"),
        password=get_setting("db.password", ""),
        pool_size=pool_size,
        ssl=get_setting("db.ssl", False, cast=bool),
    )
