"""A cancellation served by gunicorn answers at once although the mail server never answers.

The mail to the person promoted from the waiting list is only queued: the
request does not wait on SMTP, so gunicorn's worker timeout is never reached.
"""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import Booking
from portal.mail import OutboxMail

from .. import live_gunicorn
from .conftest import booking_data
from .factories import make_open_day


def test_a_cancellation_through_gunicorn_does_not_wait_for_a_silent_mail_server(
    app: Flask, db: Session, database_url: str, silent_smtp: int, tmp_path: Path
) -> None:
    open_day = make_open_day(app, sessions=[{"capacity": 1}])
    env = live_gunicorn.portal_env(
        app, MAIL_PORT=str(silent_smtp), MAIL_TIMEOUT="30", RATELIMIT_ENABLED="0"
    )
    log = tmp_path / "gunicorn.log"
    with live_gunicorn.gunicorn(env, log, workers=1, timeout=5) as base:
        first, second = live_gunicorn.Browser(base), live_gunicorn.Browser(base)
        book = f"/open-days/{open_day.id}/book"
        assert first.post(book, booking_data(open_day, email="first@example.com")) == 302
        assert second.post(book, booking_data(open_day, email="second@example.com")) == 302

        started = time.monotonic()
        status = first.post("/open-days/booking/cancel", {})
        elapsed = time.monotonic() - started
        assert status == 302 and elapsed < 3, (status, elapsed, log.read_text()[-2000:])
    db.rollback()
    statuses = [b.status for b in db.scalars(select(Booking).order_by(Booking.id))]
    assert statuses == ["cancelled", "confirmed"]
    [queued] = db.scalars(select(OutboxMail)).all()
    assert queued.recipient == "second@example.com" and queued.sent_at is None
