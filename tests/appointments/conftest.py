"""Fixtures for lawyers' appointments: a known case, slots, requests made through the
submissions' own service, and case officers with a department."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.appointments import services
from portal.appointments.models import Appointment, AppointmentSlot
from portal.cases.models import Case
from portal.cases.numbers import case_number_key
from portal.db import get_session
from portal.staff import services as staff_services
from portal.staff.models import StaffUser
from portal.submissions import services as submissions
from portal.submissions.deadlines import limits_from_config

CASE_NUMBER = "示检刑诉〔2026〕15号"
DEPARTMENT = "第一检察部"
OTHER_DEPARTMENT = "第二检察部"
LAWYER = {
    "name": "张律师",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "lawyer@example.com",
}
ANSWERS = {
    "purpose": "file_reading",
    "applicant_type": "lawyer",
    "law_firm": "示例律师事务所",
    "licence": "13101201910123456",
    "case_number": CASE_NUMBER,
    "client": "李某",
    "preferred_times": "下周上午",
}
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Beijing


@pytest.fixture
def ctx(app: Flask) -> Iterator[Session]:
    """A request context (lazy texts, config) and its session."""
    with app.test_request_context():
        yield get_session()


def add_case(db: Session, number: str = CASE_NUMBER, department: str = DEPARTMENT) -> Case:
    case = Case(
        number=number,
        number_key=case_number_key(number),
        name="李某涉嫌盗窃案",
        department=department,
        accepted_on=date(2026, 11, 1),
        source_hash="x",
    )
    db.add(case)
    db.flush()
    return case


def add_slot(
    db: Session,
    department: str = DEPARTMENT,
    capacity: int = 2,
    starts_at: datetime | None = None,
) -> AppointmentSlot:
    starts = starts_at or datetime.now(UTC) + timedelta(days=3)
    slot = AppointmentSlot(
        department=department,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        room="阅卷室 2",
        capacity=capacity,
        taken=0,
    )
    db.add(slot)
    db.flush()
    return slot


def make_request(
    app: Flask, db: Session, now: datetime | None = None, **answers: str
) -> tuple[Appointment, str, str]:
    """A lawyer's request as the booking pages send it; (appointment, tracking, query)."""
    created = submissions.create_submission(
        db,
        kind=services.KIND,
        anonymous=False,
        identity=LAWYER,
        answers={**ANSWERS, **answers},
        language="zh_Hans",
        limits=limits_from_config(app.config),
        now=now or datetime.now(UTC),
    )
    appointment = services.for_submission(db, created.submission)
    assert appointment is not None
    return appointment, created.submission.tracking_code, created.query_code or ""


@pytest.fixture
def officer(app: Flask, create_staff: Callable[..., StaffUser]) -> Callable[..., StaffUser]:
    """A case officer of a department (another one when told)."""

    def make(department: str = DEPARTMENT, *roles: str) -> StaffUser:
        user = create_staff(*(roles or ("case_officer",)))
        with app.app_context():
            db = get_session()
            staff_services.set_department(db, user.username, department, actor="test")
            db.commit()
        user.department = department
        return user

    return make
