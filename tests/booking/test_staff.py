"""Events coordinators: offices, open days, sessions, attendee lists and check-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.booking.models import Booking, Office, OpenDay, OpenDaySession

from ..helpers import csrf_token, submit
from .factories import resident_id

CODE = re.compile(r'data-testid="booking-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')


def _actions(db) -> list[str]:
    db.rollback()
    return [a.action for a in db.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def test_staff_pages_need_the_events_coordinator_role(client, login_as, create_open_day):
    open_day = create_open_day()
    paths = [
        "/staff/open-days/",
        "/staff/open-days/new",
        "/staff/open-days/offices/new",
        f"/staff/open-days/{open_day.id}",
        f"/staff/open-days/{open_day.id}/attendees",
        f"/staff/open-days/{open_day.id}/attendees.csv",
        "/staff/open-days/check-in",
    ]
    assert client.get(paths[0]).status_code == 302  # to the sign-in page
    login_as("editor")
    for path in paths:
        assert client.get(path).status_code == 403, path


def test_a_coordinator_sets_up_an_office_an_open_day_and_sessions(client, db, login_as):
    login_as("events_coordinator")
    response = submit(
        client,
        "/staff/open-days/offices/new",
        {
            "name": "城北检察联络室",
            "address": "示例区城北路 1 号",
            "hours": "",
            "contact": "",
            "directions": "",
        },
    )
    assert response.status_code == 302
    db.rollback()
    office = db.scalar(select(Office))
    bad = submit(
        client,
        "/staff/open-days/new",
        {
            "office_id": str(office.id),
            "title": "开放日",
            "opens_at": "2030-05-02T09:00",
            "closes_at": "2030-05-01T09:00",
            "min_age": "10",
            "max_age": "80",
            "id_types": ["resident_card", "passport"],
            "max_party": "30",
            "allocation": "fcfs",
            "waitlist_limit": "50",
        },
    )
    assert "Registration must close after it opens." in bad.text
    response = submit(
        client,
        "/staff/open-days/new",
        {
            "office_id": str(office.id),
            "title": "开放日",
            "opens_at": "2030-05-01T09:00",
            "closes_at": "2030-05-10T18:00",
            "min_age": "12",
            "max_age": "70",
            "id_types": ["resident_card", "passport"],
            "max_party": "30",
            "allocation": "fcfs",
            "waitlist_limit": "50",
            "questionnaire_url": "https://survey.example/od",
        },
    )
    assert response.status_code == 302
    db.rollback()
    open_day = db.scalar(select(OpenDay))
    assert open_day.id_type_set == {"resident_card", "passport"}
    # 09:00 in Shanghai is 01:00 UTC.
    assert open_day.opens_at == datetime(2030, 5, 1, 1, 0, tzinfo=UTC)
    response = submit(
        client,
        f"/staff/open-days/{open_day.id}/sessions/new",
        {"starts_at": "2030-05-20T09:30", "ends_at": "2030-05-20T11:30", "capacity": "40"},
    )
    assert response.status_code == 302
    db.rollback()
    assert db.scalar(select(OpenDaySession)).capacity == 40
    assert _actions(db)[-3:] == [
        "booking.office_created",
        "booking.open_day_created",
        "booking.session_created",
    ]


def test_capacity_cannot_drop_below_seats_taken_and_a_rise_promotes_the_waiting_list(
    client, app, db, login_as, create_open_day, mailbox, deliver_mail
):
    open_day = create_open_day(sessions=[{"capacity": 1}])
    visitor = app.test_client()
    for n in range(3):
        submit(
            visitor,
            f"/open-days/{open_day.id}/book",
            {
                "session_id": str(open_day.sessions[0].id),
                "name": "访客",
                "id_type": "resident_card",
                "id_number": resident_id(),
                "phone": "13912345678",
                "email": f"v{n}@example.com",
            },
        )
    login_as("events_coordinator")
    visit = open_day.sessions[0]
    path = f"/staff/open-days/{open_day.id}/sessions/{visit.id}/edit"
    local = visit.starts_at.astimezone().astimezone(UTC) + timedelta(hours=8)
    times = {
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    # capacity 1 and 1 seat taken: 0 would be refused by the form, so try an increase.
    response = submit(client, path, {**times, "capacity": "2"})
    assert response.status_code == 302
    db.rollback()
    assert [b.status for b in db.scalars(select(Booking).order_by(Booking.id))] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    deliver_mail()
    assert len(mailbox.to("v1@example.com")) == 1
    response = submit(client, path, {**times, "capacity": "1"})
    assert "2 seats are already booked: the capacity cannot be lower." in response.text


def _booked(app, open_day, **extra) -> tuple[str, str]:
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    number = resident_id()
    response = submit(
        visitor,
        f"/open-days/{open_day.id}/book",
        {
            "session_id": str(open_day.sessions[0].id),
            "name": "赵六",
            "id_type": "resident_card",
            "id_number": number,
            "phone": "13912345678",
            "email": "zhao@example.com",
            **extra,
        },
    )
    assert response.status_code == 302, response.text
    return CODE.search(visitor.get("/open-days/booking").text).group(1), number


def test_attendee_list_as_csv_and_sheet_with_masked_ids_audited(
    client, app, db, login_as, create_open_day
):
    open_day = create_open_day(max_party=2)
    code, number = _booked(app, open_day, members="=HYPERLINK(1)")
    login_as("events_coordinator")
    csv = client.get(f"/staff/open-days/{open_day.id}/attendees.csv")
    assert csv.mimetype == "text/csv"
    assert csv.headers["Cache-Control"] == "private, no-store"
    text = csv.data.decode("utf-8-sig")
    assert code in text and "赵六" in text
    assert number not in text and number[:3] + "*" * 11 + number[-4:] in text
    assert "'=HYPERLINK(1)" in text
    sheet = client.get(f"/staff/open-days/{open_day.id}/attendees")
    assert "赵六" in sheet.text and number not in sheet.text
    assert _actions(db)[-2:] == ["booking.attendees_csv", "booking.attendees_sheet"]


def test_check_in_shows_name_and_masked_id_marks_attended_and_refuses_twice(
    client, app, db, login_as, create_open_day
):
    open_day = create_open_day()
    code, number = _booked(app, open_day)
    login_as("events_coordinator")
    unknown = submit(client, "/staff/open-days/check-in", {"code": "AAAA-BBBB"})
    assert "No booking has this code" in unknown.text
    found = submit(client, "/staff/open-days/check-in", {"code": code.lower()})
    assert "赵六" in found.text
    assert number not in found.text and number[-4:] in found.text
    db.rollback()
    booking = db.scalar(select(Booking))
    token = csrf_token(client, "/staff/open-days/check-in")
    done = client.post(f"/staff/open-days/check-in/{booking.id}", data={"csrf_token": token})
    assert 'data-testid="checked-in"' in done.text
    again = client.post(f"/staff/open-days/check-in/{booking.id}", data={"csrf_token": token})
    assert "Already checked in" in again.text
    db.rollback()
    assert db.scalar(select(Booking)).status == "attended"
    actions = _actions(db)
    assert actions.count("booking.check_in") == 1
    assert "booking.check_in_lookup" in actions


def test_a_waitlisted_booking_cannot_be_checked_in(client, app, db, login_as, create_open_day):
    open_day = create_open_day(sessions=[{"capacity": 1}])
    _booked(app, open_day)
    code, _number = _booked(app, open_day)
    login_as("events_coordinator")
    found = submit(client, "/staff/open-days/check-in", {"code": code})
    assert "Only confirmed bookings can be checked in" in found.text
    assert "Mark attended" not in found.text


def test_the_dashboard_links_to_open_days_for_coordinators(client, login_as):
    login_as("events_coordinator")
    page = client.get("/staff/")
    assert "/staff/open-days/check-in" in page.text


def test_only_unbooked_sessions_and_open_days_can_be_deleted(
    client, app, db, login_as, create_open_day
):
    open_day = create_open_day(sessions=[{"capacity": 5}, {"capacity": 5}])
    booked, empty = open_day.sessions
    _booked(app, open_day)
    login_as("events_coordinator")
    path = f"/staff/open-days/{open_day.id}"
    token = csrf_token(client, path)
    client.post(f"{path}/sessions/{booked.id}/delete", data={"csrf_token": token})
    assert "People have booked this session" in client.get(path).text
    client.post(f"{path}/sessions/{empty.id}/delete", data={"csrf_token": token})
    client.post(f"{path}/delete", data={"csrf_token": token})
    assert "People have booked this open day" in client.get(path).text
    db.rollback()
    assert [s.id for s in db.scalars(select(OpenDaySession))] == [booked.id]
    assert _actions(db)[-1] == "booking.session_deleted"

    unbooked = create_open_day()
    client.post(f"/staff/open-days/{unbooked.id}/delete", data={"csrf_token": token})
    db.rollback()
    assert db.get(OpenDay, unbooked.id) is None
    assert _actions(db)[-1] == "booking.open_day_deleted"
