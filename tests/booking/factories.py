"""Factories for offices, open days and sessions, and valid identity numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from portal.booking.models import Office, OpenDay, OpenDaySession
from portal.db import get_session

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_serial = iter(range(1, 1_000_000))


def resident_id(birth: str = "19900307", sequence: int | None = None) -> str:
    """A resident identity number with a correct check digit (GB 11643)."""
    seq = next(_serial) % 1000 if sequence is None else sequence
    body = f"110101{birth}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def make_open_day(
    app: Flask,
    *,
    sessions: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
    **overrides: Any,
) -> OpenDay:
    """An open day at a new office, open for registration now, with sessions next week."""
    now = now or datetime.now(UTC)
    with app.app_context():
        db = get_session()
        office = Office(
            name="城南检察联络室",
            address="示例区城南路 8 号",
            hours="周一至周五 9:00–17:00",
            contact="0000-12309001",
            directions="地铁 2 号线城南站 B 口",
        )
        db.add(office)
        db.flush()
        values: dict[str, Any] = {
            "office_id": office.id,
            "title": "检察开放日：走进公诉厅",
            "description": "参观办案区，旁听模拟庭审，与检察官交流。",
            "what_to_bring": "请提前 15 分钟到达。",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=5),
            "max_party": 1,
            "waitlist_limit": 200,
        }
        values.update(overrides)
        open_day = OpenDay(**values)
        db.add(open_day)
        db.flush()
        for spec in sessions or [{"capacity": 2}]:
            starts = spec.get("starts_at", now + timedelta(days=7))
            db.add(
                OpenDaySession(
                    open_day_id=open_day.id,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    capacity=spec.get("capacity", 2),
                    seats_taken=0,
                    waitlisted=0,
                )
            )
        db.commit()
        db.refresh(open_day)
        _ = [s.id for s in open_day.sessions], open_day.office.name
        return open_day
