"""Link shortener: SQLite storage plus the service the HTTP layer calls."""

from shortener.db import open_database
from shortener.models import Link
from shortener.repository import LinkRepository
from shortener.service import CodeTaken, InvalidLink, ShortenerService

__all__ = ["CodeTaken", "InvalidLink", "Link", "LinkRepository", "ShortenerService", "open_database"]
