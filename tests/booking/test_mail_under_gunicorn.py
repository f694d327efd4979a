"""A cancellation served by gunicorn answers at once although the mail server never answers.

The mail to the person promoted from the waiting list is only queued: the
request does not wait on SMTP, so gunicorn's worker timeout is never reached.
"""

from __future__ import annotations

import http.cookiejar
import re
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

from .. import live_gunicorn
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


def test_a_cancellation_through_gunicorn_does_not_wait_for_a_silent_mail_server(
    app: Flask, db: Session, database_url: str, silent_smtp: int, tmp_path: Path
) -> None:
    open_day = make_open_day(app, sessions=[{"capacity": 1}])
    env = live_gunicorn.portal_env(
        app, MAIL_PORT=str(silent_smtp), MAIL_TIMEOUT="30", RATELIMIT_ENABLED="0"
    )
    log = tmp_path / "gunicorn.log"
    with live_gunicorn.gunicorn(env, log, workers=1, timeout=5) as base:
        first, second = Browser(base), Browser(base)
        book = f"/open-days/{open_day.id}/book"
        assert first.submit(book, booking_data(open_day, email="first@example.com")) == 302
        assert second.submit(book, booking_data(open_day, email="second@example.com")) == 302

        started = time.monotonic()
        status = first.submit("/open-days/booking/cancel", {}, form="/open-days/booking/cancel")
        elapsed = time.monotonic() - started
        assert status == 302 and elapsed < 3, (status, elapsed, log.read_text()[-2000:])
    db.rollback()
    statuses = [b.status for b in db.scalars(select(Booking).order_by(Booking.id))]
    assert statuses == ["cancelled", "confirmed"]
    [queued] = db.scalars(select(OutboxMail)).all()
    assert queued.recipient == "second@example.com" and queued.sent_at is None
