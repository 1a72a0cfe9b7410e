"""Issue and verify signed session tokens."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

from authkit.encoding import b64decode, b64encode, dump_json
from authkit.errors import ExpiredToken, InvalidToken
from authkit.keys import KeyStore

Clock = Callable[[], float]


def _sign(key: bytes, signing_input: bytes) -> bytes:
    return hmac.new(key, signing_input, hashlib.sha256).digest()


def issue(claims: dict[str, Any], keys: KeyStore, ttl: int = 3600, clock: Clock = time.time) -> str:
    now = int(clock())
    kid = keys.current_kid
    header = {"alg": "HS256", "kid": kid, "typ": "JWT"}
    body = dict(claims, iat=now, exp=now + ttl)
    signing_input = f"{b64encode(dump_json(header))}.{b64encode(dump_json(body))}"
    signature = _sign(keys.get(kid), signing_input.encode("ascii"))
    return f"{signing_input}.{b64encode(signature)}"


def _decode_part(part: str) -> dict[str, Any]:
    import json

    try:
        value = json.loads(b64decode(part))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidToken("malformed token") from exc
    if not isinstance(value, dict):
        raise InvalidToken("malformed token")
    return value


def verify(token: str, keys: KeyStore, clock: Clock = time.time) -> dict[str, Any]:
    """Return the claims of a valid token; raise ``InvalidToken`` otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("malformed token")
    header, claims = _decode_part(parts[0]), _decode_part(parts[1])
    alg = header.get("alg")
    if alg == "HS256":
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("missing key id")
        try:
            key = keys.get(kid)
        except OSError as exc:
            raise InvalidToken("unknown key id") from exc
        expected = _sign(key, f"{parts[0]}.{parts[1]}".encode("ascii"))
        try:
            given = b64decode(parts[2])
        except ValueError as exc:
            raise InvalidToken("malformed signature") from exc
        if given != expected:
            raise InvalidToken("bad signature")
    elif alg != "none":
        raise InvalidToken(f"unsupported alg {alg!r}")
    exp = claims.get("exp")
    if not isinstance(exp, int):
        raise InvalidToken("missing exp")
    if exp <= clock():
        raise ExpiredToken("token expired")
    return claims
