"""Lawyers' appointments: the department a request goes to, its answer due date,
who may handle it, accepting into a slot (a seat taken in `slots`), proposing
another time, refusing,
the lawyer's own acceptance and cancellation, overdue requests, and the case
inquiry offered once a request is accepted.

Functions flush and leave the commit to the caller; a failed step raises
`AppointmentError` after which the caller rolls back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from ..cases import services as cases
from ..cases.models import AccessRequest, Case
from ..cases.numbers import case_number_key
from ..db import utcnow
from ..mail import queue_mail
from ..staff.models import StaffUser
from ..submissions import services as submissions
from ..submissions.deadlines import Limits
from ..submissions.models import Submission
from ..submissions.services import SubmissionError, audit_action, on_created
from .fields import PURPOSES
from .models import (
    ACCEPTED,
    CANCELLED,
    CASE_INQUIRY,
    HOLDING,
    PROPOSED,
    REFUSED,
    REQUESTED,
    Appointment,
    AppointmentEvent,
)
from .slots import (
    AppointmentError,
    publishing_departments,
    release_seat,
    take_seat,
)

KIND = "lawyer_appointment"
ROLE = "case_officer"
STATUS_LABELS = {
    REQUESTED: _l("Waiting for an answer"),
    ACCEPTED: _l("Appointment confirmed"),
    PROPOSED: _l("Another time proposed"),
    REFUSED: _l("Refused"),
    CANCELLED: _l("Cancelled"),
}
# What each step of the request's history says, on the officers' page.
STEP_LABELS = {
    **STATUS_LABELS,
    REQUESTED: _l("Request received"),
    CASE_INQUIRY: _l("Case inquiry requested"),
}


# --- the request ------------------------------------------------------------------------


def department_for(db: Session, case_number: str, picked: str) -> str:
    """The case's own department when we know the case; else the one the lawyer picked."""
    known = db.scalar(
        select(Case.department).where(Case.number_key == case_number_key(case_number))
    )
    if known:
        return known
    if picked and picked in publishing_departments(db):
        return picked
    raise SubmissionError(
        _l(
            "We do not know this case number yet: choose the department handling the case, "
            "or check the number."
        ),
        "department",
    )


def answer_due(now: datetime, limits: Limits, working_days: int) -> datetime:
    """The end of the Nth working day after `now`, in the procuratorate's time zone."""
    cal = dataclasses.replace(limits.calendar, working_days=True)
    day = cal.add_days(now.astimezone(cal.zone).date(), working_days)
    return datetime.combine(day, time(23, 59, 59), tzinfo=cal.zone).astimezone(now.tzinfo)


@on_created(KIND)
def record_request(
    db: Session,
    submission: Submission,
    answers: Mapping[str, str],
    limits: Limits,
    now: datetime,
) -> Appointment:
    """The appointment beside a new request: its department and answer due date."""
    days = int(current_app.config["APPOINTMENT_ANSWER_WORKING_DAYS"])
    appointment = Appointment(
        submission_id=submission.id,
        department=department_for(
            db, answers.get("case_number", ""), answers.get("department", "")
        ),
        status=REQUESTED,
        reason="",
        answer_due=answer_due(now, limits, days),
        created_at=now,
        updated_at=now,
    )
    db.add(appointment)
    db.flush()
    _record(db, appointment.id, REQUESTED, None, now)
    return appointment


def for_submission(db: Session, submission: Submission) -> Appointment | None:
    return db.scalar(select(Appointment).where(Appointment.submission_id == submission.id))


# --- who may see what ---------------------------------------------------------------------


def may_handle(staff: StaffUser | None, department: str) -> bool:
    """Case officers of that department only: no moderator, no other department."""
    return (
        staff is not None
        and staff.has_any_role(ROLE)
        and bool(staff.department)
        and staff.department == department
    )


def load(db: Session, appointment_id: int, staff: StaffUser) -> Appointment | None:
    """The appointment if this officer may handle it; None looks like "not there"."""
    appointment = db.get(Appointment, appointment_id)
    if appointment is None or not may_handle(staff, appointment.department):
        return None
    return appointment


def submission_of(db: Session, appointment: Appointment) -> Submission:
    submission = db.get(Submission, appointment.submission_id)
    assert submission is not None
    return submission


@dataclass
class Row:
    appointment: Appointment
    submission: Submission
    overdue: bool
    purpose: str  # its label, in the language of the page


def list_requests(
    db: Session, department: str, now: datetime, *where: ColumnElement[bool]
) -> list[Row]:
    """The department's requests (narrowed by `where`): those waiting for an answer
    first, oldest due first."""
    pairs = db.execute(
        select(Appointment, Submission)
        .join(Submission, Submission.id == Appointment.submission_id)
        .where(Appointment.department == department, Submission.spam.is_(False), *where)
        .order_by((Appointment.status != REQUESTED), Appointment.answer_due, Appointment.id.desc())
    ).all()
    return [Row(a, s, a.status == REQUESTED and a.answer_due < now, _purpose(s)) for a, s in pairs]


def _purpose(submission: Submission) -> str:
    return str(PURPOSES.get(submissions.answers_of(submission).get("purpose", ""), ""))


def overdue(db: Session, department: str, now: datetime) -> list[Row]:
    """Chosen by the database: the dashboard decrypts only the late requests."""
    late = (Appointment.status == REQUESTED, Appointment.answer_due < now)
    return list_requests(db, department, now, *late)


def open_request(db: Session, staff: StaffUser, appointment: Appointment) -> None:
    """Every opening is audited: the lawyer's identity and the proofs are on the page."""
    submission = submission_of(db, appointment)
    submission.unread = False
    audit_action(db, staff, "appointments.opened", submission)
    db.flush()


def _move(
    db: Session,
    appointment: Appointment,
    from_statuses: tuple[str, ...],
    to_status: str,
    now: datetime,
    staff: StaffUser | None,
    **values: object,
) -> None:
    """Change the status only if the request is still as this person saw it, its status
    one of `from_statuses` and its slot the same (conditional UPDATE): two officers
    answering at once, or a lawyer cancelling while an officer accepts, cannot both
    succeed, and the seat the caller gives back is the one the request really held.
    The step goes into the request's history, by `staff` or (None) by the lawyer."""
    appointment_id = appointment.id
    seen_status, seen_slot = appointment.status, appointment.slot_id
    same_slot = (
        Appointment.slot_id.is_(None) if seen_slot is None else Appointment.slot_id == seen_slot
    )
    result = db.execute(
        update(Appointment)
        .where(
            Appointment.id == appointment_id,
            Appointment.status == seen_status,
            Appointment.status.in_(from_statuses),
            same_slot,
        )
        .values(status=to_status, updated_at=now, **values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        db.expire(appointment)
        raise AppointmentError(
            _l("This request was answered or cancelled meanwhile. Reload the page.")
        )
    db.expire(appointment)
    _record(db, appointment_id, to_status, staff, now)


def _record(
    db: Session, appointment_id: int, what: str, staff: StaffUser | None, now: datetime
) -> None:
    db.add(
        AppointmentEvent(
            appointment_id=appointment_id,
            what=what,
            staff_id=staff.id if staff is not None else None,
            at=now,
        )
    )
    db.flush()


def history(db: Session, appointment: Appointment) -> list[tuple[AppointmentEvent, str]]:
    """The request's steps, oldest first, each with who took it (an officer's name, or
    "the lawyer")."""
    rows = db.execute(
        select(AppointmentEvent, StaffUser)
        .outerjoin(StaffUser, StaffUser.id == AppointmentEvent.staff_id)
        .where(AppointmentEvent.appointment_id == appointment.id)
        .order_by(AppointmentEvent.at, AppointmentEvent.id)
    ).all()
    return [
        (event, (staff.display_name or staff.username) if staff else _("the lawyer"))
        for event, staff in rows
    ]


# --- answering ----------------------------------------------------------------------------


def accept(
    db: Session,
    staff: StaffUser,
    appointment: Appointment,
    slot_id: int,
    now: datetime,
    *,
    lookup_url: str,
) -> None:
    """Accept into a slot of the department; the lawyer is told by mail."""
    _answer(db, staff, appointment, slot_id, now, ACCEPTED, "")
    _notify(db, appointment, lookup_url)
    audit_action(db, staff, "appointments.accepted", submission_of(db, appointment), slot=slot_id)


def propose(
    db: Session,
    staff: StaffUser,
    appointment: Appointment,
    slot_id: int,
    message: str,
    now: datetime,
    *,
    lookup_url: str,
) -> None:
    """Offer another time; its seat is kept until the lawyer accepts or cancels."""
    _answer(db, staff, appointment, slot_id, now, PROPOSED, message.strip()[:2000])
    _notify(db, appointment, lookup_url)
    audit_action(db, staff, "appointments.proposed", submission_of(db, appointment), slot=slot_id)


def _answer(
    db: Session,
    staff: StaffUser,
    appointment: Appointment,
    slot_id: int,
    now: datetime,
    status: str,
    reason: str,
) -> None:
    if not may_handle(staff, appointment.department):
        raise AppointmentError(_l("This request is not your department's."))
    # The seat first: the slot's row is locked before the request points at it, in the
    # order deleting a slot takes them (else PostgreSQL finds a deadlock between the two).
    if not take_seat(db, slot_id, appointment.department, now):
        raise AppointmentError(
            _l("This slot is full or has passed. Choose another one."), "slot_id"
        )
    _move(
        db,
        appointment,
        (REQUESTED,),
        status,
        now,
        staff,
        slot_id=slot_id,
        reason=reason,
        answered_at=now,
    )


def refuse(
    db: Session,
    staff: StaffUser,
    appointment: Appointment,
    reason: str,
    now: datetime,
    *,
    lookup_url: str,
) -> None:
    """Refuse with the reason the lawyer reads; a proposed seat is given back."""
    if not may_handle(staff, appointment.department):
        raise AppointmentError(_l("This request is not your department's."))
    reason = reason.strip()
    if not reason:
        raise AppointmentError(_l("Give the reason: the lawyer reads it."), "reason")
    held = appointment.slot_id if appointment.status == PROPOSED else None
    _move(
        db,
        appointment,
        (REQUESTED, PROPOSED),
        REFUSED,
        now,
        staff,
        reason=reason[:2000],
        slot_id=None,
        answered_at=appointment.answered_at or now,
    )
    if held is not None:
        release_seat(db, held)
    _notify(db, appointment, lookup_url)
    audit_action(db, staff, "appointments.refused", submission_of(db, appointment))


def proposal_open(appointment: Appointment, now: datetime) -> bool:
    """A proposed time can be taken until it starts; after that only cancelling is left."""
    slot = appointment.slot
    return appointment.status == PROPOSED and slot is not None and slot.starts_at > now


def accept_proposal(db: Session, appointment: Appointment, now: datetime) -> None:
    """The lawyer takes the proposed time: the seat is already theirs."""
    if appointment.status == PROPOSED and not proposal_open(appointment, now):
        raise AppointmentError(
            _l(
                "The proposed time has passed. Cancel this request and book again, or call "
                "the department."
            )
        )
    _move(db, appointment, (PROPOSED,), ACCEPTED, now, None)


def cancel(db: Session, appointment: Appointment, now: datetime) -> None:
    """The lawyer cancels; a seat they held is free again for another lawyer."""
    held = appointment.slot_id if appointment.status in HOLDING else None
    _move(db, appointment, (REQUESTED, *HOLDING), CANCELLED, now, None)
    if held is not None:
        release_seat(db, held)


def _notify(db: Session, appointment: Appointment, lookup_url: str) -> None:
    """Tell the lawyer there is news; the mail repeats nothing of the request."""
    submission = submission_of(db, appointment)
    email = submissions.identity_of(submission).get("email")
    if not email:
        return
    with force_locale(submission.language):
        queue_mail(
            db,
            to=email,
            subject=_("There is an answer to your appointment request"),
            body=_(
                "The procuratorate has answered your appointment request %(code)s.\n\n"
                "See the date, time and room, or the reason, with your tracking code and "
                "query code at:\n%(url)s",
                code=submission.tracking_code,
                url=lookup_url,
            ),
        )


# --- the case inquiry offered to an accepted lawyer -------------------------------------------


def may_offer_case_inquiry(appointment: Appointment) -> bool:
    return appointment.status == ACCEPTED and appointment.access_request_id is None


def request_case_inquiry(
    db: Session, appointment: Appointment, submission: Submission
) -> AccessRequest:
    """File a case-inquiry access request from what the lawyer already gave us; officers
    decide it as any other (the existing access-code path)."""
    if not may_offer_case_inquiry(appointment):
        raise AppointmentError(_l("The case inquiry can be requested once, after acceptance."))
    identity = submissions.identity_of(submission)
    answers = submissions.answers_of(submission)
    request = cases.submit_access_request(
        db,
        cases.AccessRequestFields(
            case_number=answers.get("case_number", ""),
            role="defender",
            relation=answers.get("client", ""),
            requester_name=identity.get("name", ""),
            id_number=identity.get("id_number", ""),
            phone=identity.get("phone", ""),
            email=identity.get("email", ""),
            locale=submission.language,
        ),
    )
    appointment.access_request_id = request.id
    db.flush()
    _record(db, appointment.id, CASE_INQUIRY, None, utcnow())
    return request
