"""Settings read from PORTAL_* environment variables, with safe defaults.

Everything an operator may change lives here, so that a deployment is described
by its environment alone. `load_settings` returns a plain dict that becomes
Flask's config; `create_app(config=...)` may override any key.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

LOCALES = ("zh_Hans", "en")


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"PORTAL_{name}")
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def load_settings(overrides: Mapping[str, object] | None = None) -> dict[str, object]:
    """Build the config from the environment, then apply `overrides`."""
    env = _env("ENV", "development")
    instance = Path(_env("INSTANCE_PATH", str(PROJECT_ROOT / "instance"))).resolve()
    settings: dict[str, object] = {
        "ENV": env,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": _env("DATABASE_URL"),
        "SECRET_KEY": _env("SECRET_KEY"),
        "INDEX_DIR": _env("INDEX_DIR"),  # default beside the final INSTANCE_PATH, in _finish
        "CONTENT_DIR": _env("CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "BABEL_DEFAULT_LOCALE": _env("DEFAULT_LOCALE", "zh_Hans"),
        "BABEL_DEFAULT_TIMEZONE": _env("TIMEZONE", "Asia/Shanghai"),
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "SITE_NAME_ZH": _env("SITE_NAME_ZH", "示例区人民检察院"),
        "SITE_NAME_EN": _env("SITE_NAME_EN", "Example District People's Procuratorate"),
        "CONTACT_PHONE": _env("CONTACT_PHONE", "0000-12309000"),
        "CONTACT_EMAIL": _env("CONTACT_EMAIL", "service@procuratorate.example"),
        "CONTACT_ADDRESS_ZH": _env("CONTACT_ADDRESS_ZH", "示例市示例区法治大道 100 号"),
        "CONTACT_ADDRESS_EN": _env(
            "CONTACT_ADDRESS_EN", "No. 100 Fazhi Avenue, Example District, Example City"
        ),
        # Public bodies whose addresses and phones documents may name, besides courts,
        # procuratorates and police (comma-separated regular expressions, e.g. "示例大学保卫处").
        "GUARD_INSTITUTIONS": tuple(
            p.strip() for p in (_env("GUARD_INSTITUTIONS") or "").split(",") if p.strip()
        ),
        # The only source of absolute addresses (mail, feeds, sitemap, QR codes, ICS).
        "PUBLIC_URL": _env("PUBLIC_URL"),
        "MAIL_SERVER": _env("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _env_int("MAIL_PORT", 25),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": _env("MAIL_SENDER", "noreply@procuratorate.example"),
        "MAIL_ENABLED": _env_bool("MAIL_ENABLED", True),
        "MAIL_MAX_ATTEMPTS": _env_int("MAIL_MAX_ATTEMPTS", 8),
        # Seconds the mail sender waits on the SMTP server before counting a failed attempt.
        "MAIL_TIMEOUT": _env_int("MAIL_TIMEOUT", 10),
        "DATA_KEYS": _env("DATA_KEYS"),
        "LOOKUP_KEY": _env("LOOKUP_KEY"),
        "REDIS_URL": _env("REDIS_URL"),
        # Where rate-limit counters live; empty: Redis if PORTAL_REDIS_URL, else the database.
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI"),
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 60 * 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": _env_int("MAX_FORM_MEMORY_SIZE", 1024 * 1024),
        "PROXY_COUNT": _env_int("PROXY_COUNT", 0),
        "PUBLISH_DEADLINE_DAYS": _env_int("PUBLISH_DEADLINE_DAYS", 10),
        "CASE_ACCESS_DAYS": _env_int("CASE_ACCESS_DAYS", 90),
        "CASE_INQUIRY_LIMIT": _env("CASE_INQUIRY_LIMIT", "30 per hour"),
        "CASE_NUMBER_LIMIT": _env("CASE_NUMBER_LIMIT", "10 per hour"),
        # Kiosk case-number buttons when no case has been imported yet, comma-separated.
        "CASE_NUMBER_PREFIXES": _env("CASE_NUMBER_PREFIXES", ""),
        "SATISFACTION_WEIGHTS": _env(
            "SATISFACTION_WEIGHTS",
            "satisfied=100,fairly=60,dissatisfied=0,5=100,4=75,3=50,2=25,1=0",
        ),
        "SUBMISSIONS_DEPARTMENT": _env("SUBMISSIONS_DEPARTMENT", ""),
        "STAFF_IDLE_MINUTES": _env_int("STAFF_IDLE_MINUTES", 30),
        "LOGIN_ATTEMPTS_PER_MINUTE": _env_int("LOGIN_ATTEMPTS_PER_MINUTE", 5),
        "ALLOW_SQLITE_IN_PRODUCTION": _env_bool("ALLOW_SQLITE_IN_PRODUCTION", False),
        # Seconds a SQLite writer waits for the write lock before giving up.
        "SQLITE_BUSY_TIMEOUT": float(_env("SQLITE_BUSY_TIMEOUT", "30") or 30),
        "FORCE_HTTPS_COOKIES": _env_bool("FORCE_HTTPS_COOKIES", False),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "WTF_CSRF_TIME_LIMIT": _env_int("CSRF_TIME_LIMIT", 4 * 3600),
        "SUBMISSIONS_MAX_FILES": _env_int("SUBMISSIONS_MAX_FILES", 5),
        "SUBMISSIONS_MAX_FILE_MB": _env_int("SUBMISSIONS_MAX_FILE_MB", 10),
        "SUBMISSIONS_MAX_TEXT": _env_int("SUBMISSIONS_MAX_TEXT", 5000),
        "SUBMISSIONS_FILES_DIR": _env("SUBMISSIONS_FILES_DIR"),  # default set in _finish
        "SUBMISSIONS_PROCEDURAL_DAYS": _env_int("SUBMISSIONS_PROCEDURAL_DAYS", 7),
        "SUBMISSIONS_IN_PERSON_DAYS": _env_int("SUBMISSIONS_IN_PERSON_DAYS", 15),
        "SUBMISSIONS_RESULT_MONTHS": _env_int("SUBMISSIONS_RESULT_MONTHS", 3),
        "SUBMISSIONS_DUE_SOON_DAYS": _env_int("SUBMISSIONS_DUE_SOON_DAYS", 2),
        "SUBMISSIONS_DAY_MODE": _env("SUBMISSIONS_DAY_MODE", "calendar"),
        "SUBMISSIONS_HOLIDAYS_FILE": _env(
            "SUBMISSIONS_HOLIDAYS_FILE", str(PROJECT_ROOT / "content" / "holidays.txt")
        ),
        "SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS": _env_int(
            "SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS", 3
        ),
        "SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE": _env_int(
            "SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE", 2
        ),
        "SUBMISSIONS_MAX_PER_PHONE_PER_DAY": _env_int("SUBMISSIONS_MAX_PER_PHONE_PER_DAY", 10),
        "SUBMISSIONS_SUBMIT_LIMIT": _env("SUBMISSIONS_SUBMIT_LIMIT", "20 per hour"),
        "SUBMISSIONS_TRACK_LIMIT": _env("SUBMISSIONS_TRACK_LIMIT", "10 per minute;60 per hour"),
        # Lawyers' appointments: a department answers a request within this many working days.
        "APPOINTMENT_ANSWER_WORKING_DAYS": _env_int("APPOINTMENT_ANSWER_WORKING_DAYS", 3),
        # Kiosk mode: seconds without a touch before the warning, then the warning's countdown;
        # a page showing a visitor's personal data clears after the shorter private time.
        "KIOSK_IDLE_SECONDS": _env_int("KIOSK_IDLE_SECONDS", 90),
        "KIOSK_WARNING_SECONDS": _env_int("KIOSK_WARNING_SECONDS", 20),
        "KIOSK_PRIVATE_SECONDS": _env_int("KIOSK_PRIVATE_SECONDS", 45),
        # Seconds a search may wait for the "did you mean" maps of a newly opened index
        # (built in the background; seconds on a large index): then it goes without.
        "SEARCH_SUGGESTION_WAIT": float(_env("SEARCH_SUGGESTION_WAIT", "0.5") or 0.5),
        "SESSION_COOKIE_NAME": "portal_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "TESTING": False,
        # Token-cost password and code hashing, for the test suite: honoured only with
        # TESTING (portal/hashing.py).
        "FAST_HASHING": False,
    }
    if overrides:
        settings.update(overrides)
    _finish(settings)
    return settings


def _finish(settings: dict[str, object]) -> None:
    """Fill derived values and refuse unsafe production settings."""
    instance = Path(str(settings["INSTANCE_PATH"]))
    production = settings["ENV"] == "production"
    # Folders default to the instance folder actually in use (an override included),
    # so that an app built for another instance never writes into this one's.
    settings["INDEX_DIR"] = settings.get("INDEX_DIR") or str(instance / "index")
    settings["SUBMISSIONS_FILES_DIR"] = settings.get("SUBMISSIONS_FILES_DIR") or str(
        instance / "submission_files"
    )
    if not settings.get("DATABASE_URL"):
        if production:
            raise ConfigError("PORTAL_DATABASE_URL must be set in production.")
        instance.mkdir(parents=True, exist_ok=True)
        settings["DATABASE_URL"] = f"sqlite:///{instance / 'portal.db'}"
    url = str(settings["DATABASE_URL"])
    if production and url.startswith("sqlite") and not settings["ALLOW_SQLITE_IN_PRODUCTION"]:
        raise ConfigError(
            "SQLite is not meant for production; use PostgreSQL, "
            "or set PORTAL_ALLOW_SQLITE_IN_PRODUCTION=1 for a single small node."
        )
    if not settings.get("SECRET_KEY"):
        if production:
            raise ConfigError("PORTAL_SECRET_KEY must be set in production.")
        settings["SECRET_KEY"] = _instance_secret(instance)
    _rate_limit_store(settings, production)
    settings["PUBLIC_URL"] = _public_url(settings.get("PUBLIC_URL"), production)
    # Production is always served over HTTPS; elsewhere Secure follows the request.
    settings["SESSION_COOKIE_SECURE"] = production or bool(settings["FORCE_HTTPS_COOKIES"])


DEVELOPMENT_PUBLIC_URL = "http://localhost:5000"


def _public_url(value: object, production: bool) -> str:
    """The site's public address, normalised without a trailing slash.

    Absolute links are built from it and never from the request's Host or
    X-Forwarded-Host, which a client can forge.
    """
    if not value:
        if production:
            raise ConfigError(
                "PORTAL_PUBLIC_URL must be set in production (e.g. https://portal.example.gov.cn):"
                " links in mail, feeds and the sitemap are built from it."
            )
        return DEVELOPMENT_PUBLIC_URL
    parts = urlsplit(str(value).strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"PORTAL_PUBLIC_URL must look like https://host[:port][/path], not {value!r}."
        )
    if production and parts.scheme != "https":
        raise ConfigError("PORTAL_PUBLIC_URL must start with https:// in production.")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _rate_limit_store(settings: dict[str, object], production: bool) -> None:
    """Counters shared by every worker: the database by default, Redis when configured."""
    uri = settings.get("RATELIMIT_STORAGE_URI") or settings.get("REDIS_URL") or "portal-db://"
    settings["RATELIMIT_STORAGE_URI"] = uri
    if not production:
        return
    if not settings["RATELIMIT_ENABLED"]:
        raise ConfigError("Rate limiting cannot be turned off in production.")
    if str(uri).startswith("memory://"):
        raise ConfigError(
            "Rate-limit counters kept in memory are not shared by the workers; in production "
            "leave PORTAL_RATELIMIT_STORAGE_URI unset (the database) or use Redis."
        )


def _instance_secret(instance: Path) -> str:
    """Generate the secret key once and keep it in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker created it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
