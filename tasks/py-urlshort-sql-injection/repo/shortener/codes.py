"""Short codes: base62 strings, generated from a random source or chosen by users."""

from __future__ import annotations

import random
import re

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CUSTOM_CODE = re.compile(r"^[A-Za-z0-9_-]{3,32}$")


def generate_code(rng: random.Random, length: int = 7) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def is_valid_custom_code(code: str) -> bool:
    return bool(CUSTOM_CODE.match(code))
