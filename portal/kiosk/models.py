"""Enrolled kiosks and their usage counts (never anything about a visitor)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class Kiosk(Base):
    """A touch screen in a liaison office.

    Only hashes are stored: of the one-time enrolment token while it is
    outstanding, and of the device secret held in the enrolled screen's cookie.
    """

    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("booking_offices.id"))
    enrol_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrol_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    device_key_hash: Mapped[str | None] = mapped_column(String(64))
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.device_key_hash is not None


class KioskUsage(Base):
    """How often something happened at a kiosk on a (local) day, per service."""

    __tablename__ = "kiosk_usage"
    __table_args__ = (UniqueConstraint("kiosk_id", "day", "service", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    service: Mapped[str] = mapped_column(String(30))  # "" for the visit as a whole
    event: Mapped[str] = mapped_column(String(20))  # started, used, completed, abandoned
    count: Mapped[int] = mapped_column(Integer, default=0)
