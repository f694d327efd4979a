"""Staff accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import EncryptedText
from ..db import Base, UTCDateTime, utcnow

ROLES = (
    "admin",
    "moderator",
    "reports",
    "supervisor",
    "editor",
    "case_officer",
    "events_coordinator",
    "surveys",
    "judicial_aid",
)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[str] = mapped_column(String(255), default="")
    # The department a case officer works in (as cases.department names it): they see
    # the lawyers' appointments and the slots of this department only.
    department: Mapped[str] = mapped_column(String(120), default="", server_default="")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int] = mapped_column(Integer, default=0)
    # The secret being enrolled, until a code proves the app has it: kept here,
    # encrypted, rather than in the session cookie, which the browser can read.
    pending_totp_secret: Mapped[str | None] = mapped_column(EncryptedText())
    # Bumped on logout, password change or 2FA reset: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split() if r)

    def has_any_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def totp_enrolled(self) -> bool:
        return bool(self.totp_secret)


class StaffSession(Base):
    """One signed-in browser. Its token's hash is kept so that signing out here ends
    this session even for a copied cookie, while sessions on other devices go on."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
