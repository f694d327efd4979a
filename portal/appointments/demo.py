"""Demo data for lawyers' appointments: the demo administrator becomes a case officer
of the department handling most demo cases, and that department publishes a few
slots on the next working days, so that `make run` shows the whole feature."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..staff import services as staff_services
from ..staff.models import StaffUser
from ..submissions.deadlines import limits_from_config
from .models import AppointmentSlot
from .slots import publish_slot

DEMO_DEPARTMENT = "第一检察部"  # as in content/cases/sample-cases.jsonl
# (start, end, room, capacity) each working day
DEMO_TIMES = [
    (time(9, 30), time(10, 30), "阅卷室 1", 2),
    (time(14, 30), time(15, 30), "第一会见室", 1),
]
DEMO_DAYS = 3


def load_demo_slots(db: Session, staff: StaffUser, actor: str, now: datetime) -> int:
    """Give `staff` the demo department if it has none, and publish slots unless its
    department already has some to come; returns how many slots were added."""
    if not staff.department:
        staff_services.set_department(db, staff.username, DEMO_DEPARTMENT, actor=actor)
    upcoming = select(AppointmentSlot.id).where(
        AppointmentSlot.department == staff.department, AppointmentSlot.starts_at > now
    )
    if db.scalar(upcoming.limit(1)) is not None:
        return 0
    calendar = dataclasses.replace(
        limits_from_config(current_app.config).calendar, working_days=True
    )
    today = now.astimezone(calendar.zone).date()
    added = 0
    for n in range(1, DEMO_DAYS + 1):
        day = calendar.add_days(today, n)
        for start, end, room, capacity in DEMO_TIMES:
            publish_slot(
                db,
                staff,
                starts_at=datetime.combine(day, start, tzinfo=calendar.zone),
                ends_at=datetime.combine(day, end, tzinfo=calendar.zone),
                room=room,
                capacity=capacity,
                now=now,
            )
            added += 1
    return added
