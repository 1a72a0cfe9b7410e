import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from app.errors import ConfigError
from app.main import load

ROOT = Path(__file__).resolve().parent.parent

FULL = """
[db]
host = db.internal
port = 6432
name = tickets
user = svc
password = s3cret
pool_size = 10
ssl = Yes

[mailer]
host = smtp.internal
port = 587
sender = helpdesk@example.com
use_tls = on
timeout = 2.5
admins = ops@example.com,  lead@example.com ,

[server]
bind = 0.0.0.0
port = 8080
workers = 4
debug = false
allowed_hosts = helpdesk.example.com, localhost
"""

MINIMAL = """
[db]
host = localhost

[mailer]
sender = noreply@example.com
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith("APP_"):
            monkeypatch.delenv(name)


def write(tmp_path, text, name="app.ini"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def check_full(config):
    assert config.db.dsn == "postgresql://svc@db.internal:6432/tickets?sslmode=require"
    assert (config.db.password, config.db.pool_size, config.db.ssl) == ("s3cret", 10, True)
    assert config.mailer.host == "smtp.internal" and config.mailer.port == 587
    assert config.mailer.use_tls is True and config.mailer.timeout == 2.5
    assert config.mailer.admins == ["ops@example.com", "lead@example.com"]
    assert (config.server.bind, config.server.port, config.server.workers, config.server.debug) == ("0.0.0.0", 8080, 4, False)
    assert config.server.allowed_hosts == ["helpdesk.example.com", "localhost"]


def check_minimal(config):
    assert config.db.dsn == "postgresql://helpdesk@localhost:5432/helpdesk?sslmode=prefer"
    assert (config.db.password, config.db.pool_size, config.db.ssl) == ("", 5, False)
    assert (config.mailer.host, config.mailer.port, config.mailer.use_tls, config.mailer.timeout) == ("localhost", 25, False, 10.0)
    assert config.mailer.admins == []
    assert (config.server.bind, config.server.port, config.server.workers, config.server.debug) == ("127.0.0.1", 8000, 2, False)
    assert config.server.allowed_hosts == []


def test_full_config_values(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_full(load(write(tmp_path, FULL)))


def test_defaults_and_validation(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_minimal(load(write(tmp_path, MINIMAL)))
        with pytest.raises(ConfigError):
            load(write(tmp_path, MINIMAL + "\n[server]\nworkers = 0\n", "bad.ini"))


def test_no_deprecation_warnings(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        check_full(load(write(tmp_path, FULL)))
        check_minimal(load(write(tmp_path, MINIMAL, "min.ini")))


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_SERVER_PORT", "9090")
    monkeypatch.setenv("APP_DB_SSL", "off")
    monkeypatch.setenv("APP_MAILER_ADMINS", "a@example.com, b@example.com")
    monkeypatch.setenv("APP_DB_PASSWORD", "from-env")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        config = load(write(tmp_path, FULL))
    assert config.server.port == 9090
    assert config.db.ssl is False and config.db.password == "from-env"
    assert config.mailer.admins == ["a@example.com", "b@example.com"]
    assert config.server.workers == 4


def test_missing_required_options_are_config_errors(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(ConfigError):
            load(write(tmp_path, "[mailer]\nsender = a@example.com\n"))
        with pytest.raises(ConfigError):
            load(write(tmp_path, "[db]\nhost = h\n", "nomail.ini"))
        with pytest.raises(ConfigError):
            load(write(tmp_path, "[db]\nhost =\n[mailer]\nsender = a@example.com\n", "empty.ini"))


def test_two_files_loaded_independently(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        first = load(write(tmp_path, FULL))
        second = load(write(tmp_path, MINIMAL, "min.ini"))
    check_full(first)
    check_minimal(second)


def test_service_runs_without_the_legacy_module(tmp_path):
    path = write(tmp_path, FULL)
    script = textwrap.dedent(f"""
        import sys, warnings
        sys.path.insert(0, {str(ROOT)!r})
        sys.modules["confkit.legacy"] = None  # the module is gone in the next confkit
        warnings.simplefilter("error")
        from app.main import load
        cfg = load({str(path)!r})
        print(cfg.db.port, cfg.server.port, ",".join(cfg.mailer.admins))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["6432", "8080", "ops@example.com,lead@example.com"]
