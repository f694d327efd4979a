"""Lawyers' appointments served by gunicorn (two workers), as in production, with what
the test client forgives: proofs with Chinese, very long and NUL-containing file
names downloaded by the officer, full-width digits and NUL bytes in the forms, ids
past 2^31 in staff URLs, and a forged Host that must reach neither the mail to the
lawyer nor the kiosk's QR code."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from portal.db import get_session
from portal.mail import OutboxMail
from portal.staff.models import StaffUser

from .. import live_gunicorn
from ..conftest import TEST_PASSWORD
from ..files import PDF
from ..helpers import totp_now
from .conftest import ANSWERS, LAWYER, add_case, add_slot

PUBLIC = "https://portal.example.gov.cn"
FORGED = "evil.example"
START = "/submissions/lawyer_appointment/"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="submit_key"[^>]*value="([^"]+)"')
_TRACKING = re.compile(r'data-testid="tracking-code">([A-Z0-9-]+)<')
_QUERY = re.compile(r'data-testid="query-code">([A-Z0-9-]+)<')
_FILE_LINK = re.compile(r'href="(/staff/appointments/\d+/files/\d+)">([^<]*)<')
LONG = "律师事务所关于指派律师担任辩护人的公函" * 12 + ".pdf"  # 232 characters
NAMES = ["执业证 （正本）.pdf", LONG, "授权委托书\x00.pdf"]
SHOWN = ["执业证 （正本）.pdf", LONG[:196] + ".pdf", "授权委托书.pdf"]  # as the portal keeps them


def forged_browser(base: str) -> live_gunicorn.Browser:
    """Every request behind a forged Host, as an attacker would send it."""
    return live_gunicorn.Browser(
        base, {"Accept-Language": "zh-CN", "Host": FORGED, "X-Forwarded-Host": FORGED}
    )


def _sign_in(browser: live_gunicorn.Browser, staff: StaffUser) -> None:
    credentials = {"username": staff.username, "password": TEST_PASSWORD}
    assert browser.post("/staff/login", credentials) == 302
    assert browser.post("/staff/login/code", {"code": totp_now(staff.totp_secret)}) == 302


def _book(lawyer: live_gunicorn.Browser) -> tuple[str, str]:
    assert lawyer.post(START, {}) == 302
    assert lawyer.post(f"{START}about-you", LAWYER) == 302
    typed = {
        **ANSWERS,
        "licence": "１３１０１２０１９１０１２３４５６",  # full-width, as some IMEs type it
        "case_number": "示检刑诉〔２０２６〕１５号",
    }
    nul = {**typed, "licence": "1310120191012345\x006", "client": "李\x00某"}
    assert lawyer.post(f"{START}details", nul) == 200  # explained, not a server error
    assert lawyer.post(f"{START}details", typed) == 302
    for name in NAMES:
        status, page = lawyer.upload(f"{START}files", name, PDF)
        assert status == 302, page[:500]  # added, none refused
    status, page = lawyer.get(f"{START}check")
    key = _KEY.search(page)
    assert status == 200 and key, page[:500]
    token = _TOKEN.search(page)
    assert token
    check = urllib.parse.urlencode({"submit_key": key.group(1), "csrf_token": token.group(1)})
    status, _body, headers = lawyer.open(f"{START}check", check.encode())
    assert status in (302, 303), _body[:500]
    _status, done = lawyer.get(urllib.parse.urlsplit(headers["Location"]).path)
    tracking, query = _TRACKING.search(done), _QUERY.search(done)
    assert tracking and query, done[:2000]
    return tracking.group(1), query.group(1)


def test_a_booking_through_gunicorn_with_hostile_inputs_and_a_forged_host(
    app: Flask, database_url: str, tmp_path: Path, officer: Callable[..., StaffUser]
) -> None:
    with app.app_context():
        db = get_session()
        add_case(db)
        slot_id = add_slot(db, capacity=1).id
        db.commit()
    case_officer = officer()
    env = live_gunicorn.portal_env(app, PUBLIC_URL=PUBLIC, PROXY_COUNT="1", RATELIMIT_ENABLED="0")
    with live_gunicorn.gunicorn(env, tmp_path / "gunicorn.log", workers=2) as base:
        lawyer = forged_browser(base)
        tracking, query = _book(lawyer)

        # The lookup: NUL bytes are refused without a server error, full-width digits read.
        wrong = {"tracking_code": tracking + "\x00", "query_code": query}
        assert lawyer.post("/appointments/lookup", wrong) in (200, 400)
        width = str.maketrans("0123456789", "０１２３４５６７８９")
        typed = {"tracking_code": tracking.translate(width), "query_code": query.translate(width)}
        assert lawyer.post("/appointments/lookup", typed) == 302
        assert tracking in lawyer.get("/appointments/request")[1]

        staff = forged_browser(base)
        _sign_in(staff, case_officer)
        status, listing = staff.get("/staff/appointments/")
        appointment_path = re.search(r'href="(/staff/appointments/\d+)"', listing)
        assert status == 200 and appointment_path, listing[:2000]
        status, page = staff.get(appointment_path.group(1))
        assert status == 200, page[:500]
        links = _FILE_LINK.findall(page)
        assert [name for _path, name in links] == SHOWN
        for (path, _name), shown in zip(links, SHOWN, strict=True):
            status, data, headers = staff.open(path)
            assert status == 200, data[:500]
            saved = re.search(r"filename\*=UTF-8''([^;\s]+)", headers["Content-Disposition"])
            assert saved and urllib.parse.unquote(saved.group(1)) == shown

        answer = f"{appointment_path.group(1)}/answer"
        accept = {"slot_id": str(slot_id), "action": "accept"}
        assert staff.post(
            answer, {**accept, "slot_id": f"{slot_id}\x00"}, appointment_path.group(1)
        ) in (200, 404)
        assert staff.post(answer, accept, appointment_path.group(1)) == 302

        # Ids past 2^31 (and past 2^63) are simply not there, on PostgreSQL too.
        for big in (2**31, 2**63, 2**64):
            assert staff.get(f"/staff/appointments/{big}")[0] == 404
            assert staff.get(f"{appointment_path.group(1)}/files/{big}")[0] == 404
            slots = "/staff/appointments/slots"
            assert staff.post(f"{slots}/{big}/delete", {}, slots) == 404

        kiosk = forged_browser(base)
        enrol_kiosk_path = enrol_kiosk_through(app, kiosk)
        assert enrol_kiosk_path
        status, screen = kiosk.get(START)
        assert status == 200 and 'data-testid="apply-elsewhere"' in screen
        assert f"{PUBLIC}{START}" in screen and FORGED not in screen

    with app.app_context():
        mails = get_session().scalars(select(OutboxMail)).all()
    bodies = [mail.body for mail in mails if mail.recipient == LAWYER["email"]]
    assert bodies and all(FORGED not in body for body in bodies)
    assert any(f"{PUBLIC}/appointments/lookup" in body for body in bodies)


def enrol_kiosk_through(app: Flask, kiosk: live_gunicorn.Browser) -> str:
    """Register a kiosk and open its enrolment link in the gunicorn-served browser."""
    from portal.kiosk import services as kiosk_services

    with app.app_context():
        db = get_session()
        _kiosk, token = kiosk_services.register_kiosk(
            db, name="大厅一号屏", office_id=None, actor="test"
        )
        db.commit()
    path = f"/kiosk/enrol/{token}"
    assert kiosk.post(path, {}) == 303
    return path
