"""Outgoing mail settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import ConfigError
from confkit.legacy import get_setting


@dataclass(frozen=True)
class MailerConfig:
    host: str
    port: int
    sender: str
    use_tls: bool
    timeout: float
    admins: list[str] = field(default_factory=list)


def mailer_config() -> MailerConfig:
    sender = get_setting("mailer.sender")
    if not sender or "@" not in sender:
        raise ConfigError("mailer.sender must be an e-mail address")
    return MailerConfig(
        host=get_setting("mailer.host", "localhost"),
        port=get_setting("mailer.port", 25, cast=int),
        sender=sender,
        use_tls=get_setting("mailer.use_tls", False, cast=bool),
        timeout=get_setting("mailer.timeout", 10.0, cast=float),
        admins=get_setting("mailer.admins", [], cast="csv"),
    )
