import os
import random

import pytest

from authkit.encoding import b64encode, dump_json
from authkit.errors import ExpiredToken, InvalidToken
from authkit.keys import KeyStore
from authkit.reset import ResetTokens, new_token
from authkit.tokens import issue, verify

NOW = 1_700_000_000


def clock():
    return NOW


@pytest.fixture
def keys(tmp_path):
    keydir = tmp_path / "keys"
    keydir.mkdir()
    (keydir / "k1").write_bytes(b"first-secret-key-0123456789abcdef")
    os.utime(keydir / "k1", (1, 1))
    (keydir / "k2").write_bytes(b"second-secret-key-0123456789abcdef")
    os.utime(keydir / "k2", (2, 2))
    return KeyStore(keydir)


def forge(header, claims, key=b""):
    signing_input = f"{b64encode(dump_json(header))}.{b64encode(dump_json(claims))}"
    import hashlib
    import hmac

    sig = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64encode(sig)}"


ADMIN = {"sub": "attacker", "scope": ["admin"], "iat": NOW, "exp": NOW + 3600}


def test_roundtrip_and_rotation(keys, tmp_path):
    token = issue({"sub": "user-17", "scope": ["orders:read"]}, keys, ttl=600, clock=clock)
    claims = verify(token, keys, clock=clock)
    assert claims == {"sub": "user-17", "scope": ["orders:read"], "iat": NOW, "exp": NOW + 600}
    # older key still verifies after rotation
    old = forge({"alg": "HS256", "kid": "k1", "typ": "JWT"}, {"sub": "u", "exp": NOW + 5}, b"first-secret-key-0123456789abcdef")
    assert verify(old, keys, clock=clock)["sub"] == "u"


def test_expired_tampered_and_unknown_key(keys):
    token = issue({"sub": "u"}, keys, ttl=10, clock=clock)
    with pytest.raises(ExpiredToken):
        verify(token, keys, clock=lambda: NOW + 10)
    header, body, sig = token.split(".")
    tampered = f"{header}.{b64encode(dump_json(dict(ADMIN)))}.{sig}"
    with pytest.raises(InvalidToken):
        verify(tampered, keys, clock=clock)
    with pytest.raises(InvalidToken):
        verify(forge({"alg": "HS256", "kid": "k9"}, ADMIN, b"x" * 32), keys, clock=clock)
    with pytest.raises(InvalidToken):
        verify("not-a-token", keys, clock=clock)


def test_unsigned_tokens_are_rejected(keys):
    for alg in ("none", "None", "NONE", None):
        header = {"typ": "JWT"} if alg is None else {"alg": alg, "typ": "JWT"}
        unsigned = f"{b64encode(dump_json(header))}.{b64encode(dump_json(ADMIN))}."
        with pytest.raises(InvalidToken):
            verify(unsigned, keys, clock=clock)


@pytest.mark.parametrize("kid", ["/dev/null", "../../../../../../dev/null", "k1/../../../../../../../dev/null"])
def test_key_id_cannot_point_at_other_files(keys, kid):
    with pytest.raises(InvalidToken):
        verify(forge({"alg": "HS256", "kid": kid}, ADMIN, b""), keys, clock=clock)


def test_key_id_cannot_reach_files_next_to_the_key_dir(keys, tmp_path):
    (tmp_path / "public.txt").write_bytes(b"this file is world readable!!!!!")
    token = forge({"alg": "HS256", "kid": "../public.txt"}, ADMIN, b"this file is world readable!!!!!")
    with pytest.raises(InvalidToken):
        verify(token, keys, clock=clock)
    subdir = tmp_path / "keys" / "nested"
    subdir.mkdir()
    with pytest.raises(InvalidToken):
        verify(forge({"alg": "HS256", "kid": "nested"}, ADMIN, b""), keys, clock=clock)


def test_empty_key_file_cannot_be_used_to_sign(keys, tmp_path):
    (tmp_path / "keys" / "k0").write_bytes(b"")
    os.utime(tmp_path / "keys" / "k0", (0, 0))
    with pytest.raises(InvalidToken):
        verify(forge({"alg": "HS256", "kid": "k0"}, ADMIN, b""), keys, clock=clock)
    assert verify(issue({"sub": "ok"}, keys, clock=clock), keys, clock=clock)["sub"] == "ok"


def test_reset_tokens_single_use_and_expiry():
    now = [1000.0]
    tokens = ResetTokens(clock=lambda: now[0])
    token = tokens.create("user-1")
    assert tokens.redeem(token) == "user-1"
    assert tokens.redeem(token) is None
    late = tokens.create("user-2")
    now[0] += 30 * 60
    assert tokens.redeem(late) is None


def test_reset_tokens_not_predictable_from_random_state():
    random.seed(1234)
    first = new_token()
    random.seed(1234)
    second = new_token()
    assert first != second
    state = random.getstate()
    a = ResetTokens().create("u")
    random.setstate(state)
    b = ResetTokens().create("u")
    assert a != b


def test_reset_tokens_are_long_and_unique():
    seen = {new_token() for _ in range(2000)}
    assert len(seen) == 2000
    assert all(len(t) >= 22 for t in seen)
