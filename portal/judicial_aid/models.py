"""The decision on an application: outcome and amount, kept apart from the
application's personal content so that statistics never read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class AidDecision(Base):
    __tablename__ = "judicial_aid_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))  # "granted" or "refused"
    # In fen (1/100 yuan): exact sums; 0 when refused.
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
