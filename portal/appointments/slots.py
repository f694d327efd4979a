"""The slots a department publishes: publishing, deleting, and the seats taken and
given back by conditional UPDATEs, as the open-day seats are (no more lawyers in a
slot than its capacity, whatever officers do at the same time)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..db import utcnow
from ..staff.models import StaffUser
from ..submissions.services import SubmissionError
from .models import HOLDING, Appointment, AppointmentSlot

MAX_CAPACITY = 50


class AppointmentError(SubmissionError):
    """A rule was broken; `message` says what to do, `field` where."""


def publishing_departments(db: Session, now: datetime | None = None) -> list[str]:
    """Departments with a slot still to come: those a lawyer may pick."""
    return list(
        db.scalars(
            select(AppointmentSlot.department)
            .where(AppointmentSlot.starts_at > (now or utcnow()))
            .distinct()
            .order_by(AppointmentSlot.department)
        )
    )


def slots(
    db: Session, department: str, *, upcoming_from: datetime | None = None
) -> list[AppointmentSlot]:
    query = select(AppointmentSlot).where(AppointmentSlot.department == department)
    if upcoming_from is not None:
        query = query.where(AppointmentSlot.starts_at > upcoming_from)
    return list(db.scalars(query.order_by(AppointmentSlot.starts_at, AppointmentSlot.id)))


def free_slots(db: Session, department: str, now: datetime) -> list[AppointmentSlot]:
    return [s for s in slots(db, department, upcoming_from=now) if s.taken < s.capacity]


def publish_slot(
    db: Session,
    staff: StaffUser,
    *,
    starts_at: datetime,
    ends_at: datetime,
    room: str,
    capacity: int,
    now: datetime,
) -> AppointmentSlot:
    """A slot of the officer's own department."""
    if not staff.department:
        raise AppointmentError(_l("Your account has no department: ask an administrator."))
    if starts_at <= now:
        raise AppointmentError(_l("Choose a time that is still to come."), "day")
    if ends_at <= starts_at:
        raise AppointmentError(_l("The end must be after the start."), "ends")
    room = room.strip()
    if not room:
        raise AppointmentError(_l("Say in which room the lawyers are received."), "room")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise AppointmentError(
            _l("Receive between 1 and %(n)d lawyers in one slot.", n=MAX_CAPACITY), "capacity"
        )
    slot = AppointmentSlot(
        department=staff.department,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room[:120],
        capacity=capacity,
        taken=0,
        created_by_id=staff.id,
        created_at=now,
    )
    db.add(slot)
    db.flush()
    _audit(db, staff, "appointments.slot_published", slot)
    return slot


def delete_slot(db: Session, staff: StaffUser, slot: AppointmentSlot) -> None:
    """Only a slot nobody holds a seat in: lawyers were told its time and room."""
    if slot.department != staff.department:
        raise AppointmentError(_l("This slot is not your department's."))
    # Locks the slot's row (no seat can be taken meanwhile) and checks it is empty.
    free = db.execute(
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot.id, AppointmentSlot.taken == 0)
        .values(capacity=AppointmentSlot.capacity),
        execution_options={"synchronize_session": False},
    )
    in_slot = Appointment.slot_id == slot.id
    if free.rowcount != 1 or db.scalar(
        select(Appointment.id).where(in_slot, Appointment.status.in_(HOLDING)).limit(1)
    ):
        raise AppointmentError(_l("Lawyers have appointments in this slot: it cannot be deleted."))
    # Cancelled appointments that were in it simply lose their time.
    db.execute(
        update(Appointment).where(in_slot).values(slot_id=None),
        execution_options={"synchronize_session": False},
    )
    _audit(db, staff, "appointments.slot_deleted", slot)
    db.delete(slot)
    db.flush()


def _audit(db: Session, staff: StaffUser, action: str, slot: AppointmentSlot) -> None:
    audit.record(
        db,
        action=action,
        actor=staff.username,
        actor_id=staff.id,
        target_type="appointment_slot",
        target_id=slot.id,
    )


def take_seat(db: Session, slot_id: int, department: str, now: datetime) -> bool:
    """One seat of a slot still to come, of this department: one conditional UPDATE,
    so that concurrent officers never put more lawyers in it than its capacity."""
    result = db.execute(
        update(AppointmentSlot)
        .where(
            AppointmentSlot.id == slot_id,
            AppointmentSlot.department == department,
            AppointmentSlot.starts_at > now,
            AppointmentSlot.taken + 1 <= AppointmentSlot.capacity,
        )
        .values(taken=AppointmentSlot.taken + 1),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def release_seat(db: Session, slot_id: int) -> None:
    db.execute(
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot_id, AppointmentSlot.taken > 0)
        .values(taken=AppointmentSlot.taken - 1),
        execution_options={"synchronize_session": False},
    )
