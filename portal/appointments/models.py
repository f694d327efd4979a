"""The slots a department publishes and the appointment kept beside each request.

The request itself (who, which case, the proofs) is a submission of the kind
`lawyer_appointment`; an appointment row says where it stands and which slot it has.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow

REQUESTED, ACCEPTED, PROPOSED, REFUSED, CANCELLED = (
    "requested",
    "accepted",
    "proposed",
    "refused",
    "cancelled",
)
# A seat of the slot is kept for the lawyer in these.
HOLDING = (ACCEPTED, PROPOSED)


class AppointmentSlot(Base):
    """A time a department receives lawyers, in a room, for `capacity` of them."""

    __tablename__ = "appointment_slots"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[str] = mapped_column(String(120), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    room: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    # Counted only by conditional UPDATEs (see slots.take_seat).
    taken: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def free(self) -> int:
        return self.capacity - self.taken


class Appointment(Base):
    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    department: Mapped[str] = mapped_column(String(120), index=True)
    status: Mapped[str] = mapped_column(String(20), default=REQUESTED, index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_slots.id"))
    # Why it was refused or another time proposed; the lawyer reads it.
    reason: Mapped[str] = mapped_column(Text, default="")
    answer_due: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The case inquiry request filed from this appointment, once.
    access_request_id: Mapped[int | None] = mapped_column(ForeignKey("case_access_requests.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    slot: Mapped[AppointmentSlot | None] = relationship()


# Not a status: the lawyer asked for the case inquiry (an event only).
CASE_INQUIRY = "case_inquiry"


class AppointmentEvent(Base):
    """One step of a request's history, by an officer or (staff_id None) by the lawyer:
    officers see when the lawyer cancelled or took a proposed time; the audit log only
    records staff."""

    __tablename__ = "appointment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    # The status reached, or CASE_INQUIRY.
    what: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
