"""Factories across capabilities: answered (and rated) submissions, attended bookings,
closed cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask

from portal.db import get_session, utcnow
from portal.staff import services as staff_services
from portal.staff.models import StaffUser
from portal.submissions import services as submissions

from ..cases.conftest import import_records  # noqa: F401  (a fixture)
from ..submissions.conftest import create_complaint
from ..surveys.conftest import sample_questionnaire  # noqa: F401  (a fixture)


def _officer(db) -> StaffUser:
    return staff_services.find_staff(db, "reply-officer") or staff_services.create_staff(
        db,
        username="reply-officer",
        password="correct horse battery staple",
        roles=["moderator"],
        actor="test",
    )


@pytest.fixture
def answered_submission(app: Flask) -> Callable[..., int]:
    """A submission answered by staff, its reply rated `rating` (None: not rated); its id."""

    def make(
        kind: str = "complaint",
        *,
        email: str = "",
        rating: str | None = None,
        now: datetime | None = None,
        answer: bool = True,
    ) -> int:
        now = now or utcnow()
        with app.app_context():
            db = get_session()
            officer = _officer(db)
            created = create_complaint(db, app.config, kind, email=email, now=now)
            sub = created.submission
            if answer:
                submissions.change_status(db, sub, "accepted", "受理。", officer, now)
                reply = submissions.post_reply(
                    db,
                    sub,
                    "经审查，已依法处理。",
                    officer,
                    now,
                    track_url="http://localhost/track",
                    new_status="answered",
                )
                if rating:
                    submissions.rate_reply(db, sub, reply.id, rating, "", now)
            db.commit()
            return sub.id

    return make


@pytest.fixture
def attended_open_day(app: Flask) -> Callable[..., int]:
    """An open day whose bookings with these addresses were marked attended (and one no-show).

    Returns the open day's id."""
    from portal.booking.models import Booking

    from ..booking.factories import make_open_day, resident_id

    def make(*emails: str, no_show: str = "absent@example.com") -> int:
        open_day = make_open_day(app, sessions=[{"capacity": 10}])
        with app.app_context():
            db = get_session()
            for n, (email, status) in enumerate(
                [*((e, "attended") for e in emails), (no_show, "confirmed")]
            ):
                db.add(
                    Booking(
                        code=f"T{open_day.id:04d}{n:04d}",
                        open_day_id=open_day.id,
                        session_id=open_day.sessions[0].id,
                        status=status,
                        name="王小明",
                        id_type="resident_card",
                        id_number=resident_id(),
                        phone="13912345678",
                        email=email,
                        members="",
                    )
                )
            db.commit()
        return open_day.id

    return make


@pytest.fixture
def closed_case(import_records: Callable[..., list]) -> Callable[..., None]:  # noqa: F811
    """Import a case closed with these parties (name, id number), or still open."""
    from ..cases.conftest import case_record

    def make(number: str, *parties: tuple[str, str], closed: bool = True, **extra: object) -> None:
        record = case_record(
            case_number=number,
            parties=[{"role": "当事人", "name": n, "id_number": i} for n, i in parties],
            **extra,
        )
        if closed:
            record["events"] = [*record["events"], {"stage": "结案", "date": "2026-11-20"}]
        import_records(record)

    return make
