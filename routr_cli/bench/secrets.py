"""Keep secrets out of what a run records: the stored argv never holds a key.

A value is dropped when its flag's name says it is secret (``--api-key``, ``--token``,
``--password``...), when it looks like a vendor key (``sk-...``, ``AIza...``), or when it
contains the value of any ``*_KEY``/``*_TOKEN``/``*_SECRET`` variable in the environment
-- or of a variable named in ``secret_vars``: a provider in ``routr.toml`` may keep its
key under any name (``key_env = "ACME_CREDENTIAL"``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence

REDACTED = "[redacted]"
_SECRET_FLAG = re.compile(r"^--?[\w-]*(key|token|secret|password|passwd|auth)[\w-]*$", re.I)
_KEY_SHAPE = re.compile(
    r"(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|"
    r"gh[pousr]_[A-Za-z0-9]{20,}|hf_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|"
    r"Bearer\s+\S+)"
)
_SECRET_ENV = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)$", re.I)


def _env_secrets(environ: Mapping[str, str], secret_vars: Iterable[str]) -> set[str]:
    named = set(secret_vars)
    return {  # stripped: providers strip the key they send, so that is the form to find
        v.strip()
        for k, v in environ.items()
        if (k in named or _SECRET_ENV.search(k)) and len(v.strip()) >= 8
    }


def scrub_argv(
    argv: Sequence[str],
    environ: Mapping[str, str] | None = None,
    secret_vars: Iterable[str] = (),
) -> list[str]:
    """``argv`` with every key-looking value replaced by ``[redacted]``."""
    secrets = _env_secrets(os.environ if environ is None else environ, secret_vars)
    out: list[str] = []
    redact_next = False
    for arg in argv:
        if redact_next:
            out.append(REDACTED)
            redact_next = False
            continue
        flag, eq, _value = arg.partition("=")
        if _SECRET_FLAG.match(flag):
            if eq:
                out.append(f"{flag}={REDACTED}")
            else:
                out.append(arg)
                redact_next = True
            continue
        out.append(_scrub(arg, secrets))
    return out


def scrub_text(
    text: str, environ: Mapping[str, str] | None = None, secret_vars: Iterable[str] = ()
) -> str:
    """``text`` (a provider's error message, say) with every key-looking value redacted."""
    return _scrub(text, _env_secrets(os.environ if environ is None else environ, secret_vars))


def _scrub(text: str, secrets: set[str]) -> str:
    cleaned = _KEY_SHAPE.sub(REDACTED, text)
    for secret in secrets:
        cleaned = cleaned.replace(secret, REDACTED)
    return cleaned
