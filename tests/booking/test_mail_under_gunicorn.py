"""A cancellation served by gunicorn answers at once although the mail server never answers.

The mail to the person promoted from the waiting list is only queued: the
request does not wait on SMTP, so gunicorn's worker timeout is never reached.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import Booking
from portal.mail import OutboxMail

from .conftest import booking_data
from .factories import make_open_day

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        return None


class Browser:
    """Cookies and CSRF tokens, like a person's browser; redirects are not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def submit(self, path: str, data: dict[str, str], form: str | None = None) -> int:
        _status, page = self.open(form or path)
        token = _TOKEN.search(page)
        assert token, page[:500]
        return self.open(path, {**data, "csrf_token": token.group(1)})[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_cancellation_through_gunicorn_does_not_wait_for_a_silent_mail_server(
    app: Flask, db: Session, database_url: str, silent_smtp: int, tmp_path: Path
) -> None:
    open_day = make_open_day(app, sessions=[{"capacity": 1}])
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": app.instance_path,
        "PORTAL_INDEX_DIR": str(app.config["INDEX_DIR"]),
        "PORTAL_SECRET_KEY": "test-secret-key-not-for-production",
        "PORTAL_MAIL_SERVER": "127.0.0.1",
        "PORTAL_MAIL_PORT": str(silent_smtp),
        "PORTAL_MAIL_TIMEOUT": "30",
        "PORTAL_RATELIMIT_ENABLED": "0",
    }
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-w", "1", "--timeout", "5", "-b", f"127.0.0.1:{port}"]
    with log.open("wb") as handle:
        server = subprocess.Popen(
            [*command, "--error-logfile", str(log), "portal:create_app()"],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if Browser(base).open("/open-days/")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, log.read_text()
            time.sleep(0.1)
        first, second = Browser(base), Browser(base)
        book = f"/open-days/{open_day.id}/book"
        assert first.submit(book, booking_data(open_day, email="first@example.com")) == 302
        assert second.submit(book, booking_data(open_day, email="second@example.com")) == 302

        started = time.monotonic()
        status = first.submit("/open-days/booking/cancel", {}, form="/open-days/booking")
        elapsed = time.monotonic() - started
        assert status == 302 and elapsed < 3, (status, elapsed, log.read_text()[-2000:])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    db.rollback()
    statuses = [b.status for b in db.scalars(select(Booking).order_by(Booking.id))]
    assert statuses == ["cancelled", "confirmed"]
    [queued] = db.scalars(select(OutboxMail)).all()
    assert queued.recipient == "second@example.com" and queued.sent_at is None
