"""Cases mirrored from the internal case system, access requests, and the inquiry log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..db import Base, UTCDateTime, utcnow


class Case(Base):
    """One case as last exported; re-importing updates it in place (keyed by number)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))
    number_key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    charge: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(120), default="")
    prosecutor: Mapped[str] = mapped_column(String(60), default="")
    accepted_on: Mapped[date] = mapped_column(Date)
    time_limit_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    involves_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    state_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sealed by a case officer in the portal; kept when the case is imported again.
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Matching number keys of published documents of this case, one per line.
    document_keys: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        order_by="(CaseEvent.occurred_on, CaseEvent.position)",
        cascade="all, delete-orphan",
    )
    measures: Mapped[list[CoerciveMeasure]] = relationship(
        back_populates="case",
        order_by="(CoerciveMeasure.decided_on, CoerciveMeasure.position)",
        cascade="all, delete-orphan",
    )
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", order_by="CaseParty.position", cascade="all, delete-orphan"
    )

    @property
    def hidden(self) -> bool:
        """Flagged cases answer like unknown ones on every public page."""
        return bool(
            self.involves_minor or self.state_secret or self.sealed or self.sealed_at is not None
        )

    @property
    def current_stage(self) -> str | None:
        return self.events[-1].stage if self.events else None


class CaseEvent(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="events")


class CoerciveMeasure(Base):
    __tablename__ = "case_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    measure: Mapped[str] = mapped_column(String(60))
    decided_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="measures")


class CaseParty(Base):
    """A party: the name encrypted, the name and identity number as keyed hashes."""

    __tablename__ = "case_parties"
    __table_args__ = (Index("ix_case_parties_case_id_id_hash", "case_id", "id_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(EncryptedText())
    name_hash: Mapped[str] = mapped_column(String(64))
    id_hash: Mapped[str] = mapped_column(String(64))

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseImport(Base):
    """One run of `flask cases import`, kept for the staff's import history."""

    __tablename__ = "case_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)


class CaseInquiry(Base):
    """One public lookup, for the statistics: never what was typed."""

    __tablename__ = "case_inquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "party" or "code"
    found: Mapped[bool] = mapped_column(Boolean)


class AccessRequest(Base):
    """A relative, representative, defender or agent asking to follow a case."""

    __tablename__ = "case_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    case_number: Mapped[str] = mapped_column(String(80))
    number_key: Mapped[str] = mapped_column(String(80), index=True)
    role: Mapped[str] = mapped_column(String(30))
    relation: Mapped[str] = mapped_column(String(100))
    requester_name: Mapped[str] = mapped_column(EncryptedText())
    id_number: Mapped[str] = mapped_column(EncryptedText())
    id_hash: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(EncryptedText())
    email: Mapped[str] = mapped_column(EncryptedText())
    # The language the request was made in: the decision is mailed in it.
    locale: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    code_hash: Mapped[str | None] = mapped_column(String(200))
    # HMAC of the access code with the lookup key: finds the one request a typed code
    # belongs to, so that only that request's argon2 hash is verified. NULL for codes
    # approved before it existed (see `services.find_case_with_code`).
    code_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proofs: Mapped[list[AccessProof]] = relationship(
        back_populates="request", order_by="AccessProof.id"
    )


class AccessProof(Base):
    """An uploaded proof, encrypted on disk outside the web root under a random name."""

    __tablename__ = "case_access_proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("case_access_requests.id"), index=True)
    filename: Mapped[str] = mapped_column(EncryptedText())
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)

    request: Mapped[AccessRequest] = relationship(back_populates="proofs")


__all__ = [
    "AccessProof",
    "AccessRequest",
    "Case",
    "CaseEvent",
    "CaseImport",
    "CaseInquiry",
    "CaseParty",
    "CoerciveMeasure",
]
