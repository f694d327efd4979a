"""Rate-limit counters shared by every worker, and the page a limited visitor sees.

The `limits` library behind Flask-Limiter stores counters in memory, Redis,
Memcached or MongoDB. In memory each gunicorn worker counts on its own, so a
limit of 30 allowed 30 per worker. The default store here (`portal-db://`)
keeps fixed-window counters in SQL, one atomic upsert per hit, so every worker
of a machine shares them without another service:

- on PostgreSQL, in the portal's database (table `rate_limit_counters`), which
  every node shares too;
- on SQLite, in a small database file of its own in the instance folder, so that
  counting never waits on, or holds, the write lock of the portal's database
  (a request may already hold it when its limit is checked or deducted).

PORTAL_REDIS_URL (or PORTAL_RATELIMIT_STORAGE_URI) selects another store.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.units import format_unit
from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_limiter.errors import RateLimitExceeded
from limits.storage import Storage
from sqlalchemy import Engine, Float, Integer, String, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import NullPool

from .db import Base
from .public_url import public_base
from .security import is_safe_next

SCHEME = "portal-db"
SQLITE_FILE = "rate_limits.db"
MAX_KEY = 255
PURGE_EVERY = 1000  # hits, per process, between deletions of expired counters


class RateLimitCounter(Base):
    """One fixed window of one limit for one key (address, account, case number)."""

    __tablename__ = "rate_limit_counters"

    name: Mapped[str] = mapped_column(String(MAX_KEY), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch


_UPSERT = text(
    """
    INSERT INTO rate_limit_counters (name, hits, expires_at)
    VALUES (:name, :amount, :expires)
    ON CONFLICT (name) DO UPDATE SET
      hits = CASE WHEN rate_limit_counters.expires_at <= :now THEN :amount
                  ELSE rate_limit_counters.hits + :amount END,
      expires_at = CASE WHEN rate_limit_counters.expires_at <= :now THEN :expires
                        ELSE rate_limit_counters.expires_at END
    RETURNING hits
    """
)
_SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS rate_limit_counters ("
    "name VARCHAR(255) PRIMARY KEY, hits INTEGER NOT NULL, expires_at FLOAT NOT NULL)"
)


def _counter_file_engine(path: Path) -> Engine:
    """The SQLite file of the counters: no pool (nothing left open), WAL, write lock first."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool, connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    with engine.begin() as conn:
        conn.exec_driver_sql(_SQLITE_TABLE)
    return engine


def counter_engine(app: Flask) -> Engine:
    """Where this app's counters live (see the module docstring)."""
    engine = app.extensions.get("portal.rate_limits")
    if engine is None:
        main = app.extensions["portal.db"].engine
        if main.dialect.name == "sqlite":
            folder = Path(str(app.config["INSTANCE_PATH"]))
            folder.mkdir(parents=True, exist_ok=True)
            engine = _counter_file_engine(folder / SQLITE_FILE)
        else:
            engine = main
        app.extensions["portal.rate_limits"] = engine
    return engine


class SQLStorage(Storage):
    """A `limits` storage (fixed window) on the app's SQL database; scheme portal-db://."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self._hits = 0
        self._lock = threading.Lock()

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        return counter_engine(current_app._get_current_object())  # type: ignore[attr-defined]

    @staticmethod
    def _name(key: str) -> str:
        if len(key) <= MAX_KEY:
            return key
        return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        params = {"name": self._name(key), "amount": amount, "now": now, "expires": now + expiry}
        with self._engine().begin() as conn:
            hits = int(conn.execute(_UPSERT, params).scalar_one())
            if self._due_for_purge():
                conn.execute(
                    text("DELETE FROM rate_limit_counters WHERE expires_at < :now"), {"now": now}
                )
        return hits

    def _due_for_purge(self) -> bool:
        with self._lock:
            self._hits += 1
            return self._hits % PURGE_EVERY == 0

    def get(self, key: str) -> int:
        with self._engine().connect() as conn:
            hits = conn.execute(
                text(
                    "SELECT hits FROM rate_limit_counters WHERE name = :name AND expires_at > :now"
                ),
                {"name": self._name(key), "now": time.time()},
            ).scalar()
        return int(hits or 0)

    def get_expiry(self, key: str) -> float:
        with self._engine().connect() as conn:
            expires = conn.execute(
                text("SELECT expires_at FROM rate_limit_counters WHERE name = :name"),
                {"name": self._name(key)},
            ).scalar()
        now = time.time()
        return float(expires) if expires is not None and expires > now else now

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(text("DELETE FROM rate_limit_counters")).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as conn:
            conn.execute(
                text("DELETE FROM rate_limit_counters WHERE name = :name"),
                {"name": self._name(key)},
            )


# --- the 429 answer ---------------------------------------------------------------


def seconds_to_wait() -> int:
    """Until the limit that fired lets the next attempt through (at least one second)."""
    from .extensions import limiter

    fired = limiter.current_limit
    if fired is None or not fired.breached:
        return 60
    return max(1, math.ceil(fired.window.reset_time - time.time()))


def wait_text(seconds: int) -> str:
    """'45 seconds', '3 minutes', '5 hours' in the visitor's language, rounded up."""
    unit, size = ("second", 1) if seconds < 60 else ("minute", 60)
    if seconds >= 2 * 3600:
        unit, size = "hour", 3600
    return format_unit(math.ceil(seconds / size), f"duration-{unit}", locale=get_locale())


def back_link() -> str:
    """The page of this site the person came from, or the home page."""
    home = url_for("core.home")
    referrer = request.referrer
    if not referrer:
        return home
    parts, base = urlsplit(referrer), public_base()
    # Only a path is ever put in the link, so the request's own host may vouch too.
    if parts.netloc not in {base.netloc, request.host}:
        return home
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return target if is_safe_next(target) else home


def _too_many(error: RateLimitExceeded) -> ResponseReturnValue:
    seconds = seconds_to_wait()
    headers = {"Retry-After": str(seconds), "Cache-Control": "no-store"}
    if request.blueprint == "api":
        body = jsonify(error="too many requests", retry_after=seconds)
        return body, 429, headers
    page = render_template("errors/429.html", wait=wait_text(seconds), back=back_link())
    return page, 429, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(RateLimitExceeded, _too_many)
