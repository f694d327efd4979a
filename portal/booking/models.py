"""Liaison offices, open days, their sessions and the bookings made for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..db import Base, UTCDateTime, utcnow

# Booking statuses. "entered" is a lottery entry waiting for the draw.
ENTERED, CONFIRMED, WAITLISTED, CANCELLED, ATTENDED = (
    "entered",
    "confirmed",
    "waitlisted",
    "cancelled",
    "attended",
)
ACTIVE_STATUSES = (ENTERED, CONFIRMED, WAITLISTED, ATTENDED)

FCFS, LOTTERY = "fcfs", "lottery"


class Office(Base):
    """A liaison office where open days take place."""

    __tablename__ = "booking_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    hours: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    directions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OpenDay(Base):
    __tablename__ = "open_days"
    __table_args__ = (
        CheckConstraint("min_age <= max_age", name="age_range"),
        CheckConstraint("max_party >= 1", name="max_party"),
        CheckConstraint("waitlist_limit >= 0", name="waitlist_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("booking_offices.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    # English wording; empty means English pages show the Chinese (marked as Chinese).
    title_en: Mapped[str] = mapped_column(String(300), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    what_to_bring_en: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    min_age: Mapped[int] = mapped_column(Integer, default=10)
    max_age: Mapped[int] = mapped_column(Integer, default=80)
    # Accepted identity documents, space-separated keys of ID_TYPES.
    id_types: Mapped[str] = mapped_column(String(100), default="resident_card hmt_permit passport")
    max_party: Mapped[int] = mapped_column(Integer, default=1)
    allocation: Mapped[str] = mapped_column(String(10), default=FCFS)
    # Bookings a session may hold on its waiting list (0: no waiting list).
    waitlist_limit: Mapped[int] = mapped_column(Integer, default=200)
    questionnaire_url: Mapped[str] = mapped_column(String(500), default="")
    lottery_seed: Mapped[str | None] = mapped_column(String(64))
    lottery_drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office: Mapped[Office] = relationship(lazy="joined")
    sessions: Mapped[list[OpenDaySession]] = relationship(
        back_populates="open_day", order_by="OpenDaySession.starts_at"
    )

    @property
    def id_type_set(self) -> frozenset[str]:
        return frozenset(self.id_types.split())


class OpenDaySession(Base):
    """One visit time of an open day; the database keeps seats within capacity."""

    __tablename__ = "open_day_sessions"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
        CheckConstraint("waitlisted >= 0", name="waitlisted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    open_day_id: Mapped[int] = mapped_column(ForeignKey("open_days.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    # Bookings on the waiting list (not people): the list's length, kept by conditional updates.
    waitlisted: Mapped[int] = mapped_column(Integer, default=0)

    open_day: Mapped[OpenDay] = relationship(back_populates="sessions")

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class Booking(Base):
    """A booking for a party of one or more people, led by the person who booked."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_session_status_rank", "session_id", "status", "queue_rank"),
        CheckConstraint("party_size >= 1", name="party_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    open_day_id: Mapped[int] = mapped_column(ForeignKey("open_days.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("open_day_sessions.id"))
    status: Mapped[str] = mapped_column(String(12))
    # "<open day id>:<keyed hash of the ID number>" while the booking is active, NULL once
    # cancelled: the unique constraint allows one active booking per ID per open day.
    active_key: Mapped[str | None] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(EncryptedText)
    id_type: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str] = mapped_column(EncryptedText)
    email: Mapped[str] = mapped_column(EncryptedText)
    # Other members of the party, one name per line.
    members: Mapped[str] = mapped_column(EncryptedText)
    party_size: Mapped[int] = mapped_column(Integer, default=1)
    # The language the person booked in: their e-mails are written in it.
    language: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    # Place in the queue: the booking order (first come, first served) or the draw order.
    queue_rank: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    session: Mapped[OpenDaySession] = relationship(lazy="joined")
    open_day: Mapped[OpenDay] = relationship()

    @property
    def member_list(self) -> list[str]:
        return [line for line in self.members.splitlines() if line.strip()]
