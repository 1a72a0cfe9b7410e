"""Single-use password reset tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

TOKEN_TTL = 30 * 60


@dataclass
class _Pending:
    user_id: str
    expires_at: float


def new_token() -> str:
    """A fresh token for the reset e-mail link: 128 bits from the OS CSPRNG.

    ``random`` is a seedable, predictable generator and must never make secrets.
    """
    return secrets.token_hex(16)


class ResetTokens:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._pending: dict[str, _Pending] = {}

    @staticmethod
    def _digest(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def create(self, user_id: str) -> str:
        token = new_token()
        self._pending[self._digest(token)] = _Pending(user_id, self._clock() + TOKEN_TTL)
        return token

    def redeem(self, token: str) -> str | None:
        """The user id for a valid token (which is then used up), else None."""
        pending = self._pending.pop(self._digest(token), None)
        if pending is None or pending.expires_at <= self._clock():
            return None
        return pending.user_id
