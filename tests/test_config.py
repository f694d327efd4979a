"""Settings: safe defaults, and a production config that refuses unsafe ones."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from portal import create_app
from portal.config import ConfigError, load_settings


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    first = load_settings({"INSTANCE_PATH": str(tmp_path)})
    second = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(str(first["SECRET_KEY"])) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    settings = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.db'}"


def test_environment_variables_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_TIMEZONE", "Asia/Urumqi")
    monkeypatch.setenv("PORTAL_SITE_NAME_ZH", "某某区人民检察院")
    monkeypatch.setenv("PORTAL_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert settings["BABEL_DEFAULT_TIMEZONE"] == "Asia/Urumqi"
    assert settings["SITE_NAME_ZH"] == "某某区人民检察院"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    "overrides, complaint",
    [
        ({"DATABASE_URL": "postgresql+psycopg://db/portal"}, "PORTAL_SECRET_KEY"),
        ({"SECRET_KEY": "k" * 40}, "PORTAL_DATABASE_URL"),
        ({"SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite:////tmp/x.db"}, "SQLite"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, monkeypatch, overrides, complaint):
    for name in ("SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(f"PORTAL_{name}", raising=False)
    with pytest.raises(ConfigError, match=complaint):
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), **overrides})


def test_production_accepts_sqlite_only_when_told(tmp_path):
    settings = load_settings(
        {
            "ENV": "production",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "k" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
            "ALLOW_SQLITE_IN_PRODUCTION": True,
            "PUBLIC_URL": "https://portal.example.gov.cn",
        }
    )
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_demo_data_is_refused_in_production(tmp_path, database_url):
    app = create_app(
        {
            "ENV": "production",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "k" * 40,
            "DATABASE_URL": database_url,
            "ALLOW_SQLITE_IN_PRODUCTION": True,
            "PUBLIC_URL": "https://portal.example.gov.cn",
            "DATA_KEYS": Fernet.generate_key().decode(),
            "LOOKUP_KEY": "l" * 40,
        }
    )
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output


PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "k" * 40,
    "DATABASE_URL": "postgresql+psycopg://db/portal",
    "PUBLIC_URL": "https://portal.example.gov.cn/",
}


@pytest.mark.parametrize(
    "public_url, complaint",
    [
        (None, "PORTAL_PUBLIC_URL must be set in production"),
        ("", "PORTAL_PUBLIC_URL must be set in production"),
        ("http://portal.example.gov.cn", "must start with https://"),
        ("portal.example.gov.cn", "must look like https://host"),
    ],
)
def test_production_needs_an_https_public_address(tmp_path, monkeypatch, public_url, complaint):
    monkeypatch.delenv("PORTAL_PUBLIC_URL", raising=False)
    with pytest.raises(ConfigError, match=complaint):
        load_settings({**PRODUCTION, "INSTANCE_PATH": str(tmp_path), "PUBLIC_URL": public_url})


def test_public_address_is_normalised(tmp_path):
    settings = load_settings({**PRODUCTION, "INSTANCE_PATH": str(tmp_path)})
    assert settings["PUBLIC_URL"] == "https://portal.example.gov.cn"


def test_rate_limit_counters_are_shared_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_REDIS_URL", raising=False)
    monkeypatch.delenv("PORTAL_RATELIMIT_STORAGE_URI", raising=False)
    settings = load_settings({**PRODUCTION, "INSTANCE_PATH": str(tmp_path)})
    assert settings["RATELIMIT_STORAGE_URI"] == "portal-db://"


@pytest.mark.parametrize(
    "overrides, complaint",
    [
        ({"RATELIMIT_ENABLED": False}, "cannot be turned off in production"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "not shared by the workers"),
    ],
)
def test_production_refuses_unshared_or_disabled_rate_limits(tmp_path, overrides, complaint):
    with pytest.raises(ConfigError, match=complaint):
        load_settings({**PRODUCTION, "INSTANCE_PATH": str(tmp_path), **overrides})
