"""Service start-up: load the configuration file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db import DatabaseConfig, db_config
from app.mailer import MailerConfig, mailer_config
from app.server import ServerConfig, server_config
from confkit.settings import Settings


@dataclass(frozen=True)
class AppConfig:
    db: DatabaseConfig
    mailer: MailerConfig
    server: ServerConfig


def load(path: str | Path) -> AppConfig:
    # APP_<SECTION>_<OPTION> environment variables override the file, as before.
    settings = Settings.from_file(path, env_prefix="APP_")
    return AppConfig(db=db_config(settings), mailer=mailer_config(settings), server=server_config(settings))
