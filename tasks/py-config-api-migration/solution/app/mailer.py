"""Outgoing mail settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import ConfigError
from confkit.settings import Settings


@dataclass(frozen=True)
class MailerConfig:
    host: str
    port: int
    sender: str
    use_tls: bool
    timeout: float
    admins: list[str] = field(default_factory=list)


def mailer_config(settings: Settings) -> MailerConfig:
    sender = settings.get_str("mailer.sender", None)
    if not sender or "@" not in sender:
        raise ConfigError("mailer.sender must be an e-mail address")
    return MailerConfig(
        host=settings.get_str("mailer.host", "localhost"),
        port=settings.get_int("mailer.port", 25),
        sender=sender,
        use_tls=settings.get_bool("mailer.use_tls", False),
        timeout=settings.get_float("mailer.timeout", 10.0),
        admins=settings.get_list("mailer.admins", []),
    )
