"""Citizens keep submitting while staff open audited pages and `flask search rebuild` runs.

Production-like: two gunicorn workers and the `flask` CLI as separate
processes on one database. On SQLite, a staff page that audits on GET used to
fail with "database is locked" when a citizen committed between its first read
and its audit entry, and the CLI held the write lock for its whole life, so
submissions made during a rebuild waited and failed.
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import func, select

from portal.db import get_session
from portal.disclosure import services as disclosure
from portal.submissions.models import Submission

from . import live_gunicorn
from .cases.conftest import case_record
from .conftest import TEST_PASSWORD
from .factories import document_fields
from .submissions.conftest import ANSWERS, PERSON

CITIZENS = 3
MAX_SUBMISSIONS_EACH = 40
DOCUMENTS = 400
REBUILDS = 2
# Short, so that a command holding the write lock for a whole rebuild makes writers
# give up (as they did after 30 s in production); short transactions never wait this long.
BUSY_TIMEOUT = "1"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="submit_key"[^>]*value="([^"]+)"')
BIN = Path(sys.executable).parent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor with its own cookies, talking HTTP to the server."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def call(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=90) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def send(self, path: str, data: dict[str, str]) -> int:
        status, page = self.call(path)
        assert status == 200, (path, status, page[:500])
        token = _CSRF.search(page)
        assert token, page[:500]
        return self.call(path, {**data, "csrf_token": token.group(1)})[0]


def _environment(app) -> dict[str, str]:
    return live_gunicorn.portal_env(
        app,
        MAIL_ENABLED="0",
        SQLITE_BUSY_TIMEOUT=BUSY_TIMEOUT,
        RATELIMIT_ENABLED="0",
        SUBMISSIONS_CHALLENGE_AFTER_PER_ADDRESS="100000",
        SUBMISSIONS_CHALLENGE_AFTER_PER_PHONE="100000",
        SUBMISSIONS_MAX_PER_PHONE_PER_DAY="100000",
    )


def _seed(app, create_staff) -> tuple[object, int]:
    from portal.cases.importer import import_cases

    from .cases.conftest import jsonl

    with app.app_context():
        db = get_session()
        when = datetime(2021, 5, 28, 2, tzinfo=UTC)
        for _ in range(DOCUMENTS):
            doc = disclosure.create_draft(db, document_fields(), None)
            disclosure.publish(db, doc, None, when)
        import_cases(db, jsonl(case_record()), filename="seed.jsonl", actor="test")
        db.commit()
        from portal.cases.models import Case

        case_id = db.scalar(select(Case.id))
    officer = create_staff("moderator", "case_officer")
    return officer, case_id


def test_submissions_succeed_during_a_rebuild_and_audited_staff_pages(
    app, db, create_staff, tmp_path
):
    officer, case_id = _seed(app, create_staff)
    env = _environment(app)
    done = threading.Event()
    failures: list[str] = []
    stored: list[int] = []
    staff_pages: list[int] = []
    rebuilds: list[int] = []
    attempts: list[int] = []
    with live_gunicorn.gunicorn(env, tmp_path / "gunicorn.log", timeout=120) as base:
        try:
            first = Browser(base)
            _submit_complaint(first, 0, 0, failures, stored)
            assert not failures, failures
            submission_id = db.scalar(select(Submission.id))
            db.rollback()
            staff = Browser(base)
            login = {"username": officer.username, "password": TEST_PASSWORD}
            assert staff.send("/staff/login", login) == 302
            code = pyotp.TOTP(officer.totp_secret).now()
            assert staff.send("/staff/login/code", {"code": code}) == 302

            def rebuild_repeatedly() -> None:
                try:
                    for _ in range(REBUILDS):
                        run = subprocess.run(
                            [str(BIN / "flask"), "--app", "portal", "search", "rebuild"],
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=300,
                        )
                        rebuilds.append(run.returncode)
                        if run.returncode != 0:
                            failures.append(f"rebuild: {run.stderr[-2000:]}")
                finally:
                    done.set()

            def open_audited_pages() -> None:
                pages = [f"/staff/submissions/{submission_id}", f"/staff/cases/{case_id}"]
                for n in range(5000):
                    if done.is_set():
                        return
                    status, page = staff.call(pages[n % 2])
                    staff_pages.append(status)
                    if status != 200:
                        failures.append(f"staff page {pages[n % 2]}: {status} {page[:300]}")

            def citizen(n: int) -> None:
                browser = Browser(base)
                for i in range(MAX_SUBMISSIONS_EACH):
                    if done.is_set():
                        return
                    attempts.append(1)
                    _submit_complaint(browser, n + 1, i, failures, stored)

            helpers = [
                threading.Thread(target=rebuild_repeatedly),
                threading.Thread(target=open_audited_pages),
            ]
            citizens = [threading.Thread(target=citizen, args=(n,)) for n in range(CITIZENS)]
            for thread in helpers + citizens:
                thread.start()
            for thread in helpers + citizens:
                thread.join(timeout=600)
        finally:
            done.set()
    assert not failures, failures[:5]
    assert rebuilds == [0] * REBUILDS and len(staff_pages) > 10
    assert len(attempts) > CITIZENS
    expected = 1 + len(attempts)
    assert len(stored) == expected
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Submission)) == expected


def _submit_complaint(
    browser: Browser, citizen: int, number: int, failures: list[str], stored: list[int]
) -> None:
    """The whole complaint flow; any answer other than the expected one is a failure."""
    person = {**PERSON, "phone": f"139{citizen:04d}{number:04d}"}
    steps = [
        ("/submissions/complaint/", {}),
        ("/submissions/complaint/about-you", person),
        ("/submissions/complaint/details", ANSWERS["complaint"]),
    ]
    for path, data in steps:
        status = browser.send(path, data)
        if status != 302:
            failures.append(f"{path}: {status}")
            return
    status, page = browser.call("/submissions/complaint/check")
    key, token = _KEY.search(page), _CSRF.search(page)
    if status != 200 or not key or not token:
        failures.append(f"check page: {status}")
        return
    status, page = browser.call(
        "/submissions/complaint/check",
        {"csrf_token": token.group(1), "submit_key": key.group(1)},
    )
    if status != 302:
        failures.append(f"send: {status} {page[:300]}")
        return
    status, page = browser.call("/submissions/confirmation")
    if status != 200 or 'data-testid="tracking-code"' not in page:
        failures.append(f"confirmation: {status}")
        return
    stored.append(1)


def test_an_audited_staff_page_survives_a_write_committed_after_its_first_read(
    app, client, db, login_as
):
    """The same race, deterministic: another process commits between the staff access
    check (the page's first read) and the page's audit entry."""
    from portal.cases.importer import import_cases
    from portal.cases.models import Case
    from portal.staff import services as staff_services

    from .cases.conftest import jsonl

    others = iter(range(100))
    racing = threading.Event()

    @app.before_request
    def _someone_else_writes() -> None:  # registered after the staff access check
        if racing.is_set():
            staff_services.create_staff(
                db,
                username=f"other{next(others)}",
                password=TEST_PASSWORD,
                roles=["editor"],
                actor="test",
            )
            db.commit()

    with app.app_context():
        session = get_session()
        import_cases(session, jsonl(case_record()), filename="seed.jsonl", actor="test")
        session.commit()
        case_id = session.scalar(select(Case.id))
    login_as("case_officer")
    racing.set()
    for _ in range(3):
        assert client.get(f"/staff/cases/{case_id}").status_code == 200


def test_a_read_transaction_takes_the_write_lock_at_its_first_write(tmp_path):
    """The mechanism itself, on a SQLite file of its own."""
    import sqlite3

    from sqlalchemy import text

    from portal.db import make_engine

    path = tmp_path / "lock.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout=0.2)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a INTEGER)")
    count = text("SELECT count(*) FROM t")
    insert = text("INSERT INTO t VALUES (1)")
    reader = engine.connect()
    try:
        reader.begin()
        assert reader.scalar(count) == 0
        with engine.begin() as other:  # another process commits after our first read
            other.execute(insert)
        reader.execute(insert)  # upgrading the stale snapshot would fail: it restarts instead
        reader.commit()
        assert reader.scalar(count) == 2
        reader.rollback()

        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # someone holds the lock longer than we wait
        reader.begin()
        reader.scalar(count)
        with pytest.raises(Exception, match="locked"):
            reader.execute(insert)
        assert reader.connection.dbapi_connection.in_transaction  # as SQLAlchemy believes
        reader.rollback()
        holder.execute("ROLLBACK")
        holder.close()
        with reader.begin():
            reader.execute(insert)
        assert reader.scalar(count) == 3
    finally:
        reader.close()
        engine.dispose()
