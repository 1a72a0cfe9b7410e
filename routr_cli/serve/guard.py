"""Who may call the gateway, how often, and for how much.

Keys are bearer tokens. They come from ``ROUTR_SERVE_KEYS`` (comma-separated) or a keys
file whose lines are ``NAME:SHA256HEX[:RPM[:USD_PER_DAY]]``: the file holds only hashes,
so a leaked keys file grants nothing (``routr serve --hash-key`` prints a line to add).
A presented key is hashed and compared in constant time; the key itself is never stored,
logged or echoed -- a caller is known by its key's NAME.

Limits are per key and per instance (each worker and each instance counts on its own;
docs/serve.md says what a shared store would change): a token bucket of RPM requests per
minute, and a budget in USD per UTC day charged with each call's cost after it is served.
Exceeding either is 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from routr_cli.errors import ConfigError

KEYS_ENV = "ROUTR_SERVE_KEYS"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class KeyPolicy:
    name: str
    digest: str = field(repr=False)
    rpm: float | None = None  # requests per minute; None: unlimited
    usd_per_day: float | None = None


def load_keys(
    keys_file: Path | None, *, default_rpm: float | None, default_budget: float | None
) -> list[KeyPolicy]:
    """Keys from the environment and the keys file (both may be given)."""
    found: list[KeyPolicy] = []
    for index, key in enumerate(k.strip() for k in os.environ.get(KEYS_ENV, "").split(",")):
        if key:
            found.append(KeyPolicy(f"env-{index + 1}", hash_key(key), default_rpm, default_budget))
    if keys_file is not None:
        try:
            lines = Path(keys_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read keys file {keys_file}: {exc.strerror}") from None
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(":")
            if len(parts) < 2 or len(parts[1]) != 64:
                raise ConfigError(
                    f"{keys_file}:{number}: expected NAME:SHA256HEX[:RPM[:USD_PER_DAY]] "
                    "(make a line with `routr serve --hash-key NAME`)"
                )
            try:
                rpm = float(parts[2]) if len(parts) > 2 and parts[2] else default_rpm
                budget = float(parts[3]) if len(parts) > 3 and parts[3] else default_budget
            except ValueError:
                raise ConfigError(
                    f"{keys_file}:{number}: RPM and USD_PER_DAY are numbers"
                ) from None
            found.append(KeyPolicy(parts[0], parts[1].lower(), rpm, budget))
    return found


class Denied(Exception):
    def __init__(self, status: int, message: str, code: str, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after


@dataclass
class _Usage:
    tokens: float
    stamp: float
    day: str = ""
    spent: float = 0.0


class Guard:
    """Authenticates a request and applies its key's limits (thread-safe)."""

    def __init__(
        self,
        keys: list[KeyPolicy],
        *,
        require: bool,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], str] = lambda: datetime.now(UTC).strftime("%Y-%m-%d"),
    ) -> None:
        self.keys = keys
        self.require = require
        self.clock = clock
        self.today = today
        self._usage: dict[str, _Usage] = {}
        self._lock = threading.Lock()
        # Tokens already verified, so a known key is not hashed and compared with every
        # key again on each request. Only matches are kept (wrong keys cannot grow it),
        # in this process's memory only, bounded.
        self._verified: dict[str, KeyPolicy] = {}

    def identify(self, authorization: str | None) -> KeyPolicy | None:
        """The key's policy; None when auth is off and no key was sent. Raises ``Denied``."""
        if not authorization:
            if self.require:
                raise Denied(
                    401, "missing API key: send Authorization: Bearer KEY", "missing_api_key"
                )
            return None
        known = self._verified.get(authorization)
        if known is not None:
            return known
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Denied(401, "malformed Authorization header: use Bearer KEY", "invalid_api_key")
        digest = hash_key(token.strip())
        match = None
        for policy in self.keys:  # compare with every key: timing says nothing about which
            if hmac.compare_digest(policy.digest, digest):
                match = policy
        if match is None:
            if self.require:
                raise Denied(401, "incorrect API key provided", "invalid_api_key")
            return None
        if len(self._verified) >= 1024:
            self._verified.clear()
        self._verified[authorization] = match
        return match

    def admit(self, policy: KeyPolicy | None) -> None:
        """Take one request from the key's bucket and check its budget; raises ``Denied``."""
        if policy is None or (policy.rpm is None and policy.usd_per_day is None):
            return  # nothing to count: no lock, no clock
        now = self.clock()
        with self._lock:
            state = self._usage.setdefault(policy.name, _Usage(policy.rpm or 0.0, now))
            if policy.usd_per_day is not None:  # the day matters only to a budget
                day = self.today()
                if state.day != day:
                    state.day, state.spent = day, 0.0
            if policy.usd_per_day is not None and state.spent >= policy.usd_per_day:
                raise Denied(
                    429,
                    f"daily budget of ${policy.usd_per_day:g} for key {policy.name} is spent",
                    "budget_exceeded",
                    retry_after=_seconds_to_midnight(),
                )
            if policy.rpm is None:
                return
            rate = policy.rpm / 60.0
            state.tokens = min(policy.rpm, state.tokens + (now - state.stamp) * rate)
            state.stamp = now
            if state.tokens < 1.0:
                wait = (1.0 - state.tokens) / rate if rate > 0 else 60.0
                raise Denied(
                    429,
                    f"rate limit of {policy.rpm:g} requests per minute for key {policy.name}",
                    "rate_limit_exceeded",
                    retry_after=wait,
                )
            state.tokens -= 1.0

    def charge(self, policy: KeyPolicy | None, cost_usd: float | None) -> None:
        if policy is None or not cost_usd or policy.usd_per_day is None:
            return
        with self._lock:
            state = self._usage.setdefault(policy.name, _Usage(policy.rpm or 0.0, self.clock()))
            day = self.today()
            if state.day != day:
                state.day, state.spent = day, 0.0
            state.spent += cost_usd


def _seconds_to_midnight() -> float:
    now = datetime.now(UTC)
    return float(86400 - (now.hour * 3600 + now.minute * 60 + now.second))
