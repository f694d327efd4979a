"""Statutory time limits: a procedural reply within 7 days, the result within 3 months,
in-person petitions within 15 days; counted in calendar or working days.

Working days skip weekends and the dates listed in the holiday file (one
ISO date per line, `#` comments; a line `+2026-10-10` marks a working
weekend day, as adjusted by the State Council each year).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Calendar:
    working_days: bool
    holidays: frozenset[date]
    extra_workdays: frozenset[date]
    zone: ZoneInfo

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_days(self, start: date, days: int) -> date:
        if not self.working_days:
            return start + timedelta(days=days)
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def next_working_day(self, day: date) -> date:
        while self.working_days and not self.is_working_day(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True)
class Limits:
    procedural_days: int
    in_person_days: int
    result_months: int
    due_soon_days: int
    calendar: Calendar


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=8)
def _read_holidays(path: str, mtime: float) -> tuple[frozenset[date], frozenset[date]]:
    holidays, workdays = set(), set()
    for raw in Path(path).read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+"):
            workdays.add(date.fromisoformat(line[1:].strip()))
        else:
            holidays.add(date.fromisoformat(line))
    return frozenset(holidays), frozenset(workdays)


def limits_from_config(config: Mapping[str, object]) -> Limits:
    path = Path(str(config["SUBMISSIONS_HOLIDAYS_FILE"]))
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    if path.exists():
        holidays, workdays = _read_holidays(str(path), path.stat().st_mtime)
    return Limits(
        procedural_days=int(config["SUBMISSIONS_PROCEDURAL_DAYS"]),
        in_person_days=int(config["SUBMISSIONS_IN_PERSON_DAYS"]),
        result_months=int(config["SUBMISSIONS_RESULT_MONTHS"]),
        due_soon_days=int(config["SUBMISSIONS_DUE_SOON_DAYS"]),
        calendar=Calendar(
            working_days=config["SUBMISSIONS_DAY_MODE"] == "working",
            holidays=holidays,
            extra_workdays=workdays,
            zone=ZoneInfo(str(config["BABEL_DEFAULT_TIMEZONE"])),
        ),
    )


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    """The last moment of `day` in the procuratorate's time zone, as UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def due_dates(received_at: datetime, channel: str, limits: Limits) -> tuple[datetime, datetime]:
    """(procedural reply due, result due) for a submission received at `received_at`."""
    cal = limits.calendar
    local = received_at.astimezone(cal.zone).date()
    days = limits.in_person_days if channel == "in_person" else limits.procedural_days
    procedural = cal.add_days(local, days)
    result = cal.next_working_day(_add_months(local, limits.result_months))
    return _end_of(procedural, cal.zone), _end_of(result, cal.zone)
