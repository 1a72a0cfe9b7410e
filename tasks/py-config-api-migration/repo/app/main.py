"""Service start-up: load the configuration file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db import DatabaseConfig, db_config
from app.mailer import MailerConfig, mailer_config
from app.server import ServerConfig, server_config
from confkit.legacy import load_legacy


@dataclass(frozen=True)
class AppConfig:
    db: DatabaseConfig
    mailer: MailerConfig
    server: ServerConfig


def load(path: str | Path) -> AppConfig:
    load_legacy(path)
    return AppConfig(db=db_config(), mailer=mailer_config(), server=server_config())
