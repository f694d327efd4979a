"""Many people booking and cancelling at once, through a real threaded server:
the database keeps the count of confirmed seats exact."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal import create_app
from portal.booking.models import Booking, OpenDaySession

from ..helpers import submit
from .factories import resident_id

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CODE = re.compile(r'data-testid="booking-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - report the 302 itself
        return None


def _browser() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def _post_form(opener, url: str, data: dict[str, str]) -> int:
    page = opener.open(url, timeout=60).read().decode()
    body = urllib.parse.urlencode({**data, "csrf_token": TOKEN.search(page).group(1)}).encode()
    try:
        return opener.open(url, data=body, timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def unlimited_app(app: Flask, database_url: str, tmp_path: Path) -> Flask:
    """The app under test, without per-address rate limits (every thread is 127.0.0.1)."""
    return create_app(
        {
            **{k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "SECRET_KEY")},
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": app.config["INSTANCE_PATH"],
            "INDEX_DIR": app.config["INDEX_DIR"],
            "RATELIMIT_ENABLED": False,
        }
    )


def test_concurrent_bookings_and_cancellations_keep_capacity_exact(
    app, unlimited_app, db, create_open_day
):
    capacity, newcomers, leavers = 10, 40, 5
    open_day = create_open_day(sessions=[{"capacity": capacity}], waitlist_limit=1000)
    session_id = open_day.sessions[0].id
    codes = []
    for _ in range(capacity):
        visitor = app.test_client()
        response = submit(
            visitor,
            f"/open-days/{open_day.id}/book",
            {
                "session_id": str(session_id),
                "name": "早到者",
                "id_type": "resident_card",
                "id_number": resident_id(),
                "phone": "13912345678",
                "email": "early@example.com",
            },
        )
        assert response.status_code == 302
        codes.append(CODE.search(visitor.get("/open-days/booking").text).group(1))

    server = make_server("127.0.0.1", 0, unlimited_app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    numbers = [resident_id(sequence=500 + n) for n in range(newcomers)]

    def book(number: str) -> int:
        return _post_form(
            _browser(),
            f"{base}/open-days/{open_day.id}/book",
            {
                "session_id": str(session_id),
                "name": "并发访客",
                "id_type": "resident_card",
                "id_number": number,
                "phone": "13800000000",
                "email": "crowd@example.com",
            },
        )

    def cancel(code: str) -> int:
        opener = _browser()
        found = _post_form(opener, f"{base}/open-days/find", {"code": code, "phone": "13912345678"})
        assert found == 302
        return _cancel(opener, base)

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            jobs = [pool.submit(book, n) for n in numbers]
            jobs += [pool.submit(cancel, c) for c in codes[:leavers]]
            statuses = [job.result() for job in jobs]
    finally:
        server.shutdown()
        thread.join(timeout=10)
        unlimited_app.extensions["portal.db"].dispose()

    assert all(status == 302 for status in statuses), statuses
    db.rollback()
    visit = db.get(OpenDaySession, session_id)
    confirmed = db.scalar(
        select(func.coalesce(func.sum(Booking.party_size), 0)).where(
            Booking.session_id == session_id, Booking.status == "confirmed"
        )
    )
    waiting = db.scalar(
        select(func.count()).where(Booking.session_id == session_id, Booking.status == "waitlisted")
    )
    assert confirmed == visit.seats_taken == capacity
    assert waiting == visit.waitlisted == newcomers - leavers
    cancelled = db.scalar(select(func.count()).where(Booking.status == "cancelled"))
    assert cancelled == leavers


def _cancel(opener, base: str) -> int:
    page = opener.open(f"{base}/open-days/booking/cancel", timeout=60).read().decode()
    body = urllib.parse.urlencode({"csrf_token": TOKEN.search(page).group(1)}).encode()
    try:
        return opener.open(f"{base}/open-days/booking/cancel", data=body, timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code
