"""Booking an open day through the public pages: each rule, and what is written."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from portal.booking.models import Booking, OpenDaySession
from portal.mail import OutboxMail

from ..helpers import csrf_token, submit
from .conftest import booking_data
from .factories import resident_id

CODE = re.compile(r'data-testid="booking-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')


def cancel(client) -> None:
    token = csrf_token(client, "/open-days/booking/cancel")
    client.post("/open-days/booking/cancel", data={"csrf_token": token})


def _count(db) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(Booking))


def _session(db, open_day) -> OpenDaySession:
    db.rollback()
    return db.get(OpenDaySession, open_day.sessions[0].id)


def test_a_booking_is_confirmed_with_a_code_qr_and_calendar_file(client, db, create_open_day, book):
    open_day = create_open_day()
    response = book(open_day)
    assert response.status_code == 302
    page = client.get("/open-days/booking")
    assert "Confirmed" in page.text
    code = CODE.search(page.text).group(1)
    assert not set(code) & set("01ILO")
    assert "What to bring" in page.text and "请提前 15 分钟到达" in page.text
    qr = client.get("/open-days/booking/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    ics = client.get("/open-days/booking/visit.ics")
    assert ics.mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.data and code.encode() in ics.data
    assert _session(db, open_day).seats_taken == 1


def test_identity_number_phone_and_email_are_encrypted_at_rest(client, db, create_open_day, book):
    open_day = create_open_day()
    number = resident_id()
    book(open_day, id_number=number)
    db.rollback()
    raw = db.execute(text("SELECT id_number, phone, email, name FROM bookings")).one()
    for value in raw:
        assert number.encode() not in bytes(value)
        assert b"13912345678" not in bytes(value)
        assert b"example.com" not in bytes(value)


def test_a_full_session_puts_people_on_the_waiting_list_with_their_position(
    client, app, db, create_open_day, book
):
    open_day = create_open_day(sessions=[{"capacity": 1}])
    assert book(open_day).status_code == 302
    assert book(open_day).status_code == 302
    page = client.get("/open-days/booking")
    assert "On the waiting list" in page.text
    assert "You are number 1 on the waiting list" in page.text
    book(open_day)
    assert "You are number 2 on the waiting list" in client.get("/open-days/booking").text
    visit = _session(db, open_day)
    assert (visit.seats_taken, visit.waitlisted) == (1, 2)
    listing = client.get(f"/open-days/{open_day.id}")
    assert "Full" in listing.text and "2 people waiting" in listing.text


def test_a_full_session_and_waiting_list_is_refused_and_nothing_written(
    client, db, create_open_day, book
):
    open_day = create_open_day(sessions=[{"capacity": 1}], waitlist_limit=0)
    book(open_day)
    response = book(open_day)
    assert response.status_code == 200
    assert "This session is full and so is its waiting list" in response.text
    assert _count(db) == 1


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"opens_at": 1, "closes_at": 3}, "Registration opens on"),
        ({"opens_at": -3, "closes_at": -1}, "Registration for this open day has closed"),
    ],
)
def test_booking_outside_the_registration_window_is_refused(
    client, db, create_open_day, book, window, message
):
    now = datetime.now(UTC)
    open_day = create_open_day(
        opens_at=now + timedelta(days=window["opens_at"]),
        closes_at=now + timedelta(days=window["closes_at"]),
    )
    response = book(open_day)
    assert response.status_code == 200
    assert message in response.text
    assert _count(db) == 0


def test_a_past_session_is_refused(client, db, create_open_day, book):
    now = datetime.now(UTC)
    open_day = create_open_day(
        sessions=[{"starts_at": now - timedelta(hours=1)}, {"starts_at": now + timedelta(days=2)}]
    )
    response = book(open_day, session_id=str(open_day.sessions[0].id))
    assert "This session has already started. Choose a later session." in response.text
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "110101199003071234"}, "Enter the 18-character resident identity card"),
        ({"id_number": resident_id(birth="20200101")}, "must be 10 to 80 years old"),
        ({"id_number": resident_id(birth="19300101")}, "must be 10 to 80 years old"),
        ({"id_type": "passport", "id_number": "E1234"}, "Enter your date of birth"),
        (
            {"id_type": "passport", "id_number": "E12345678", "birth_date": "2022-05-01"},
            "must be 10 to 80 years old",
        ),
        ({"id_type": "passport", "id_number": "E1?3"}, "Enter the passport number as printed"),
        ({"id_type": "hmt_permit", "id_number": "X123"}, "Enter the permit number as printed"),
        ({"members": "李雷\n韩梅梅"}, "at most 1 people"),
        ({"phone": "call me"}, "Enter a phone number with digits only"),
        ({"email": "nobody"}, "Enter an e-mail address like name@example.com."),
        ({"name": ""}, "Enter your full name"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    client, db, create_open_day, book, overrides, message
):
    open_day = create_open_day()
    response = book(open_day, **overrides)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="error-summary"' in response.text
    assert _count(db) == 0
    assert _session(db, open_day).seats_taken == 0


def test_typed_values_are_kept_after_an_error(client, create_open_day, book):
    open_day = create_open_day()
    response = book(open_day, id_number="110101199003071234", name="王小明")
    assert 'value="王小明"' in response.text
    assert 'value="110101199003071234"' in response.text


def test_an_id_type_the_open_day_does_not_accept_is_refused(client, db, create_open_day, book):
    open_day = create_open_day(id_types="resident_card")
    response = book(open_day, id_type="passport", id_number="E12345678", birth_date="1990-01-01")
    assert response.status_code == 200
    assert _count(db) == 0


def test_a_passport_holder_in_the_age_range_can_book(client, create_open_day, book):
    open_day = create_open_day()
    response = book(open_day, id_type="passport", id_number="e1234567 8", birth_date="1990-01-01")
    assert response.status_code == 302


def test_a_group_booking_takes_a_seat_per_person(client, db, create_open_day, book):
    open_day = create_open_day(max_party=3, sessions=[{"capacity": 5}])
    assert book(open_day, members="李雷\n韩梅梅\n").status_code == 302
    assert _session(db, open_day).seats_taken == 3
    assert "3 people" in client.get("/open-days/booking").text


def test_the_same_id_number_twice_is_refused_however_it_is_typed(client, db, create_open_day, book):
    open_day = create_open_day(sessions=[{"capacity": 5}, {"capacity": 5}])
    number = resident_id(sequence=12)
    while not number.endswith("X"):  # make the lower-case variant meaningful
        number = resident_id(sequence=int(number[14:17]) + 1)
    assert book(open_day, id_number=number).status_code == 302
    again = book(
        open_day,
        id_number=number.lower()[:6] + " " + number[6:].lower(),
        session_id=str(open_day.sessions[1].id),
    )
    assert "This ID number already has a booking for this open day" in again.text
    assert _count(db) == 1


def test_cancelling_asks_first_and_asking_changes_nothing(client, db, create_open_day, book):
    open_day = create_open_day(sessions=[{"capacity": 1}])
    book(open_day)
    question = client.get("/open-days/booking/cancel")
    assert question.status_code == 200
    assert "Cancel your booking?" in question.text
    assert "Yes, cancel this booking" in question.text and "No, keep my booking" in question.text
    assert _session(db, open_day).seats_taken == 1
    cancel(client)
    # Nothing left to cancel: the question is not asked again.
    again = client.get("/open-days/booking/cancel")
    assert again.status_code == 302 and again.location.endswith("/open-days/booking")


def test_a_cancelled_booking_frees_the_id_for_a_new_booking(client, db, create_open_day, book):
    open_day = create_open_day()
    number = resident_id()
    book(open_day, id_number=number)
    assert "Cancel this booking" in client.get("/open-days/booking").text
    cancel(client)
    assert "Cancelled" in client.get("/open-days/booking").text
    assert book(open_day, id_number=number).status_code == 302


def _code_of(client) -> str:
    return CODE.search(client.get("/open-days/booking").text).group(1)


def test_a_cancellation_never_waits_for_a_mail_server_that_does_not_answer(
    app, client, db, create_open_day, book, silent_smtp
):
    """The promoted person's mail is only queued: the request does not talk to SMTP."""
    app.config.update(MAIL_PORT=silent_smtp, MAIL_TIMEOUT=30)
    open_day = create_open_day(sessions=[{"capacity": 1}])
    book(open_day, email="first@example.com")
    first_code = _code_of(client)
    book(open_day, email="second@example.com")
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    submit(other, "/open-days/find", {"code": first_code, "phone": "13912345678"})
    token = csrf_token(other, "/open-days/booking/cancel")
    started = time.monotonic()
    response = other.post("/open-days/booking/cancel", data={"csrf_token": token})
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 3, elapsed
    assert "Your booking is cancelled" in other.get("/open-days/booking").text
    db.rollback()
    [queued] = db.scalars(select(OutboxMail)).all()
    assert queued.recipient == "second@example.com" and queued.attempts == 0
    assert queued.sent_at is None


def test_cancel_with_code_and_phone_promotes_the_first_on_the_waiting_list(
    app, client, db, create_open_day, book, mailbox, deliver_mail
):
    open_day = create_open_day(sessions=[{"capacity": 1}])
    book(open_day, email="first@example.com")
    first_code = _code_of(client)
    book(open_day, email="second@example.com", name="李四")
    book(open_day, email="third@example.com")
    mailbox.messages.clear()

    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    wrong = submit(other, "/open-days/find", {"code": first_code, "phone": "13900000000"})
    assert "No booking matches this code and phone number" in wrong.text
    found = submit(
        other,
        "/open-days/find",
        {"code": first_code.lower().replace("-", " "), "phone": "139 1234 5678"},
    )
    assert found.status_code == 302
    cancel(other)
    assert "Your booking is cancelled" in other.get("/open-days/booking").text

    db.rollback()
    statuses = [b.status for b in db.scalars(select(Booking).order_by(Booking.id))]
    assert statuses == ["cancelled", "confirmed", "waitlisted"]
    visit = _session(db, open_day)
    assert (visit.seats_taken, visit.waitlisted) == (1, 1)
    deliver_mail()
    mails = mailbox.to("second@example.com")
    assert len(mails) == 1
    assert "李四" not in mails[0]["Subject"]
    assert "is now yours" in mails[0]["Subject"] or "座位" in mails[0]["Subject"]
    assert mailbox.to("third@example.com") == []
    # The third person moved up.
    assert "You are number 1 on the waiting list" in client.get("/open-days/booking").text


def test_a_second_cancellation_changes_nothing(client, db, create_open_day, book):
    open_day = create_open_day(sessions=[{"capacity": 1}])
    book(open_day)
    token = csrf_token(client, "/open-days/booking/cancel")
    client.post("/open-days/booking/cancel", data={"csrf_token": token})
    client.post("/open-days/booking/cancel", data={"csrf_token": token})
    assert _session(db, open_day).seats_taken == 0


def test_upcoming_open_days_are_listed_by_office_and_in_a_calendar(client, create_open_day):
    now = datetime.now(UTC)
    shown = create_open_day(title="检察开放日：未成年人检察")
    create_open_day(title="已经结束的开放日", sessions=[{"starts_at": now - timedelta(days=2)}])
    listing = client.get("/open-days/")
    assert "检察开放日：未成年人检察" in listing.text and "已经结束的开放日" not in listing.text
    by_office = client.get(f"/open-days/?office={shown.office_id + 1}")
    assert "检察开放日：未成年人检察" not in by_office.text
    month = (now + timedelta(days=7)).astimezone().strftime("%Y-%m")
    calendar = client.get(f"/open-days/calendar?month={month}")
    assert calendar.status_code == 200 and "检察开放日：未成年人检察" in calendar.text
    assert client.get("/open-days/calendar?month=garbage").status_code == 200


def test_the_open_days_area_leads_to_the_list(client):
    response = client.get("/areas/open-days")
    assert response.status_code == 301 and response.location.endswith("/open-days/")


def test_booking_pages_work_in_chinese(app, create_open_day):
    open_day = create_open_day()
    chinese = app.test_client()
    response = submit(chinese, f"/open-days/{open_day.id}/book", booking_data(open_day, name=""))
    assert "请按身份证件填写您的姓名。" in response.text
    assert (
        submit(chinese, f"/open-days/{open_day.id}/book", booking_data(open_day)).status_code == 302
    )
    assert "已确认" in chinese.get("/open-days/booking").text


def test_availability_is_served_live_for_the_page_to_refresh(client, create_open_day, book):
    open_day = create_open_day(sessions=[{"capacity": 2}])
    session_id = str(open_day.sessions[0].id)
    assert client.get(f"/open-days/{open_day.id}/availability.json").json == {
        "sessions": {session_id: "2 seats left"}
    }
    book(open_day)
    book(open_day)
    book(open_day)
    reply = client.get(f"/open-days/{open_day.id}/availability.json")
    assert reply.json["sessions"][session_id] == "Full · 1 person waiting"
    assert reply.headers["Cache-Control"] == "no-store"
