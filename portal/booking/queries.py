"""Listing open days for the public: upcoming ones by office, and a month calendar."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .models import Office, OpenDay, OpenDaySession
from .services import local_date, local_zone


def list_offices(db: Session) -> list[Office]:
    return list(db.scalars(select(Office).order_by(Office.name)))


def upcoming_open_days(db: Session, now: datetime, office_id: int | None = None) -> list[OpenDay]:
    """Open days with a session still to come, soonest first."""
    first = (
        select(OpenDaySession.open_day_id, func.min(OpenDaySession.starts_at).label("first"))
        .where(OpenDaySession.starts_at > now)
        .group_by(OpenDaySession.open_day_id)
        .subquery()
    )
    query = (
        select(OpenDay)
        .join(first, first.c.open_day_id == OpenDay.id)
        .options(selectinload(OpenDay.sessions))
        .order_by(first.c.first, OpenDay.id)
    )
    if office_id is not None:
        query = query.where(OpenDay.office_id == office_id)
    return list(db.scalars(query).unique())


def month_grid(
    db: Session, year: int, month: int, office_id: int | None = None
) -> list[list[tuple[date, list[OpenDaySession]]]]:
    """Weeks (Monday first) of (day, sessions that day) for one month, local time."""
    zone = local_zone()
    start = datetime(year, month, 1, tzinfo=zone)
    end = (start + timedelta(days=32)).replace(day=1)
    query = (
        select(OpenDaySession)
        .join(OpenDay, OpenDaySession.open_day_id == OpenDay.id)
        .options(selectinload(OpenDaySession.open_day))
        .where(OpenDaySession.starts_at >= start, OpenDaySession.starts_at < end)
        .order_by(OpenDaySession.starts_at)
    )
    if office_id is not None:
        query = query.where(OpenDay.office_id == office_id)
    by_day: dict[date, list[OpenDaySession]] = defaultdict(list)
    for session in db.scalars(query):
        by_day[local_date(session.starts_at)].append(session)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [(day, by_day.get(day, []) if day.month == month else []) for day in week] for week in weeks
    ]
