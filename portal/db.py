"""Engine, a session per request, the declarative base, and SQLite settings.

On SQLite a transaction that will write starts with BEGIN IMMEDIATE: in WAL
mode a reader that later tries to write fails at once if another process
committed meanwhile, so requests that change data take the write lock first
and wait for it (busy timeout) instead of failing. Reads stay concurrent.

Requests other than GET/HEAD/OPTIONS declare write intent up front. Everything
else (GET pages, CLI commands, scripts) begins deferred and reads without the
lock; its first write, savepoint or SELECT ... FOR UPDATE ends the read
transaction (it has written nothing) and takes the lock with BEGIN IMMEDIATE.
The reads before that point ran in their own snapshot, as they would under
PostgreSQL's READ COMMITTED; a FOR UPDATE read (the audit head, a draft)
sees the newest data because it runs after the lock is taken. So an audited
GET page or a CLI write can never fail with "database is locked" because a
read transaction could not be upgraded, and nothing has to remember to
declare it.
"""

from __future__ import annotations

import contextvars
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Whether the next transaction on this context should take SQLite's write lock at once.
# Outside requests (CLI, scripts) it does not: reads never hold the lock.
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

# Statements that only read; anything else in a deferred transaction takes the lock first.
_READ_ONLY_VERBS = frozenset(
    {
        "SELECT",
        "PRAGMA",
        "WITH",
        "EXPLAIN",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "RELEASE",
        "END",
    }
)
_LOCKED = "sqlite_write_locked"
SQLITE_READONLY = 8  # primary result code; extended codes keep it in the low byte


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    """Create an engine with the pragmas and transaction mode each backend needs.

    `busy_timeout`: how long a SQLite writer waits for the write lock before failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})

    read_only_seen: list[bool] = []

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if read_only_seen:
            # A read-only connection that failed lingers, closed but not freed, until the
            # traceback that holds its statement is collected; while it lives, SQLite
            # shares its read-only view of the WAL with every new connection of the process.
            read_only_seen.clear()
            gc.collect()
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _drop_read_only_connection(context: Any) -> None:
        # A connection opened while the file could not be written stays read-only for
        # its whole life, even after the permissions are fixed: treat it as lost, so
        # that the pool opens fresh connections and writes work again without a restart.
        code = getattr(context.original_exception, "sqlite_errorcode", 0)
        if code & 0xFF == SQLITE_READONLY:
            context.is_disconnect = True
            read_only_seen.append(True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        deferred = connection.get_execution_options().get("sqlite_deferred", False)
        immediate = _write_intent.get() and not deferred
        connection.info[_LOCKED] = immediate
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "before_execute")
    def _before_execute(connection: Any, clause: Any, *_args: Any) -> None:
        if getattr(clause, "_for_update_arg", None) is not None:
            _take_write_lock(connection)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_cursor(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb not in _READ_ONLY_VERBS:
            # A savepoint marks a unit that will write: lock before SQLite creates it.
            _take_write_lock(connection, creating_savepoint=verb == "SAVEPOINT")

    return engine


def _take_write_lock(connection: Any, creating_savepoint: bool = False) -> None:
    """Turn the deferred, read-only transaction of `connection` into a writing one."""
    if not connection.in_transaction() or connection.info.get(_LOCKED, True):
        return
    if connection.in_nested_transaction() and not creating_savepoint:
        raise RuntimeError(
            "first write of a deferred SQLite transaction inside a savepoint: "
            "declare write intent (portal.db.write_intent) before the transaction begins"
        )
    raw = connection.connection.dbapi_connection
    raw.execute("COMMIT")  # nothing written yet: this only ends the read snapshot
    try:
        raw.execute("BEGIN IMMEDIATE")
    except BaseException:
        raw.execute("BEGIN")  # still inside a transaction, as SQLAlchemy believes
        raise
    connection.info[_LOCKED] = True


class Database:
    """Holds the engine and the scoped session of one app."""

    def __init__(self, url: str, busy_timeout: float = 30.0) -> None:
        self.engine = make_engine(url, busy_timeout)
        self.session = scoped_session(
            sessionmaker(bind=self.engine, expire_on_commit=False, future=True)
        )

    def dispose(self) -> None:
        self.session.remove()
        self.engine.dispose()


def init_app(app: Flask) -> Database:
    database = Database(str(app.config["DATABASE_URL"]), float(app.config["SQLITE_BUSY_TIMEOUT"]))
    app.extensions["portal.db"] = database

    @app.before_request
    def _declare_intent() -> None:
        from flask import g, request

        g.write_intent_token = _write_intent.set(request.method not in {"GET", "HEAD", "OPTIONS"})

    @app.teardown_request
    def _forget_intent(_exc: BaseException | None) -> None:
        from flask import g

        token = g.pop("write_intent_token", None)
        if token is not None:
            _write_intent.reset(token)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        database.session.remove()

    return database


def get_db(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["portal.db"]


def get_session() -> Session:
    """The session of the current request or CLI command."""
    return get_db().session()


@contextmanager
def write_intent() -> Iterator[None]:
    """Take SQLite's write lock for transactions begun inside, e.g. an audited GET."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)
