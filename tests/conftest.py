"""Fixtures: `app`, `client`, `db`, factories and `login_as(role)`.

The schema is built once per run by the real migrations, on SQLite by default
or on PostgreSQL when PORTAL_TEST_DATABASE_URL is set; every test then starts
from empty tables.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from portal import create_app
from portal.db import get_session
from portal.mail import SendReport, send_pending
from portal.migrate import upgrade
from portal.models import Base
from portal.staff import services as staff_services
from portal.staff.models import StaffUser

from .helpers import sign_in

TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.db'}"
    else:
        _drop_everything(url)
    upgrade(url)
    return url


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _check_index_agrees(app: Flask) -> None:
    """After every test, the index holds exactly the published documents."""
    from portal.disclosure import indexing

    with app.app_context():
        result = indexing.check(get_session(), indexing.get_index())
    index = app.extensions.pop("portal.search", None)
    if index is not None:
        index.close()
    assert result.ok, f"index and database disagree: {result}"


def _empty_tables(app: Flask) -> None:
    engine = app.extensions["portal.db"].engine
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own table names


class Mailbox:
    """What a real SMTP server on loopback (aiosmtpd) received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd hook
        message = message_from_bytes(envelope.content, policy=email_policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[Mailbox, int]) -> Mailbox:
    """The mail this test sent, through a real SMTP server."""
    box, _port = smtp_server
    box.messages.clear()
    return box


@pytest.fixture
def silent_smtp() -> Iterator[int]:
    """A loopback port whose server accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # the kernel completes the connections; nobody reads or writes
        yield listener.getsockname()[1]


@pytest.fixture
def deliver_mail(app: Flask) -> Callable[[], SendReport]:
    """Send the queued mail now, with the function `flask mail worker` and cron run.

    Requests only queue mail; a test that expects mail calls this first, as the
    worker would have done a moment later.
    """

    def deliver() -> SendReport:
        with app.app_context():
            return send_pending(get_session(), app.config)

    return deliver


@pytest.fixture
def app(database_url: str, tmp_path: Path, smtp_server: tuple[Mailbox, int]) -> Iterator[Flask]:
    smtp_server[0].messages.clear()
    app = create_app(
        {
            "TESTING": True,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server[1],
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "test-secret-key-not-for-production",
            # Suggestions are tested as they read, not as the clock allows
            # (tests/search/test_suggestions.py covers the bounded wait).
            "SEARCH_SUGGESTION_WAIT": None,
            # Argon2 at a token cost: the suite signs staff in hundreds of times
            # (tests/test_hashing.py checks the production cost).
            "FAST_HASHING": True,
        }
    )
    with app.app_context():
        from search import index as search_index

        search_index.ensure_index(app.config["INDEX_DIR"])
    yield app
    _check_index_agrees(app)
    _empty_tables(app)
    app.extensions["portal.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser that asks for English, so that assertions read as the code does.

    Tests of the Chinese default use `app.test_client()` or their own header.
    """
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session of its own for arranging and checking data, outside any request.

    It holds no app context open, so each request in the test gets a fresh
    one, as in production.
    """
    engine = app.extensions["portal.db"].engine
    # Reads here must not take SQLite's write lock, or the app under test would wait on it.
    session = Session(bind=engine.execution_options(sqlite_deferred=True), expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture
def create_staff(app: Flask) -> Callable[..., StaffUser]:
    """Factory: a staff account, enrolled in TOTP unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(*roles: str, username: str | None = None, enrolled: bool = True) -> StaffUser:
        with app.app_context():
            session = get_session()
            user = staff_services.create_staff(
                session,
                username=username or f"officer{next(counter)}",
                password=TEST_PASSWORD,
                roles=list(roles),
                actor="test",
            )
            if enrolled:
                user.totp_secret = pyotp.random_base32()
            session.commit()
            return user

    return make


@pytest.fixture
def login_as(
    client: FlaskClient, create_staff: Callable[..., StaffUser]
) -> Callable[..., StaffUser]:
    """Sign the test client in as a new account with `roles`, through the real forms."""

    def login(*roles: str) -> StaffUser:
        user = create_staff(*roles)
        sign_in(client, user, TEST_PASSWORD)
        return user

    return login


from .factories import enrol_kiosk, kiosk_client, publish_document  # noqa: E402,F401  (fixtures)
