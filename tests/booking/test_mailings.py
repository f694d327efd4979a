"""Reminders the day before and questionnaire invitations after the event, once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from portal.booking.models import Booking, OpenDaySession

from ..helpers import submit
from .factories import resident_id


def _book(app, open_day, email: str) -> None:
    visitor = app.test_client()
    response = submit(
        visitor,
        f"/open-days/{open_day.id}/book",
        {
            "session_id": str(open_day.sessions[0].id),
            "name": "钱七",
            "id_type": "resident_card",
            "id_number": resident_id(),
            "phone": "13912345678",
            "email": email,
        },
    )
    assert response.status_code == 302


def _tomorrow_at_ten() -> datetime:
    zone = ZoneInfo("Asia/Shanghai")
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, tzinfo=zone).astimezone(UTC)


def test_reminders_go_to_confirmed_people_the_day_before_and_never_twice(
    app, db, create_open_day, mailbox
):
    tomorrow = create_open_day(sessions=[{"starts_at": _tomorrow_at_ten(), "capacity": 1}])
    later = create_open_day(
        sessions=[{"starts_at": _tomorrow_at_ten() + timedelta(days=2), "capacity": 1}]
    )
    _book(app, tomorrow, "seat@example.com")
    _book(app, tomorrow, "waiting@example.com")
    _book(app, later, "later@example.com")
    mailbox.messages.clear()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["booking", "send-reminders"])
    assert "1 reminders queued." in first.output
    runner.invoke(args=["mail", "send-pending"])
    second = runner.invoke(args=["booking", "send-reminders"])
    assert "0 reminders queued." in second.output
    runner.invoke(args=["mail", "send-pending"])
    assert [m["To"] for m in mailbox.messages] == ["seat@example.com"]
    message = mailbox.messages[0]
    assert "钱七" not in message["Subject"]
    body = message.get_content()
    assert "检察开放日：走进公诉厅" in body
    db.rollback()
    reminded = db.scalars(select(Booking).where(Booking.reminded_at.is_not(None))).all()
    assert [(b.open_day_id, b.status) for b in reminded] == [(tomorrow.id, "confirmed")]


def test_after_the_event_those_who_attended_are_invited_to_the_questionnaire(
    app, db, create_open_day, mailbox
):
    open_day = create_open_day(
        questionnaire_url="https://survey.example/open-day-7", sessions=[{"capacity": 2}]
    )
    _book(app, open_day, "came@example.com")
    _book(app, open_day, "absent@example.com")
    db.rollback()
    first = db.scalar(select(Booking).order_by(Booking.id))
    db.execute(update(Booking).where(Booking.id == first.id).values(status="attended"))
    past = datetime.now(UTC) - timedelta(hours=3)
    db.execute(update(OpenDaySession).values(starts_at=past, ends_at=past + timedelta(hours=2)))
    db.commit()
    mailbox.messages.clear()
    runner = app.test_cli_runner()
    assert "1 invitations queued." in runner.invoke(args=["booking", "send-invitations"]).output
    assert "0 invitations queued." in runner.invoke(args=["booking", "send-invitations"]).output
    runner.invoke(args=["mail", "send-pending"])
    assert [m["To"] for m in mailbox.messages] == ["came@example.com"]
    assert "https://survey.example/open-day-7" in mailbox.messages[0].get_content()
