"""Documents, their revisions and attachments, guard overrides, and the index outbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..db import Base, UTCDateTime, utcnow


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_status_published_at", "status", "published_at"),
        Index("ix_documents_type_published_at", "doc_type", "published_at"),
        # Covers `queries.public_refs_and_languages` (a search page's ten hits): the
        # columns come after the bodies, which every row would otherwise read.
        Index("ix_documents_public_ref", "status", "id", "number", "slug", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(80))
    number_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    slug: Mapped[str | None] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    case_name: Mapped[str] = mapped_column(String(300), default="")
    charge: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    signed_on: Mapped[date | None] = mapped_column(Date)
    judgment_effective_on: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # A document tied to a case involving a minor or a state secret is never published.
    involves_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    state_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    # Names staff marked as sensitive (victims, witnesses, minors), one per line;
    # encrypted at rest, since the list says who the victims are.
    sensitive_names: Mapped[str] = mapped_column(EncryptedText, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    last_edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attachments: Mapped[list[DocumentAttachment]] = relationship(
        back_populates="document", order_by="DocumentAttachment.id"
    )

    @property
    def ref(self) -> str:
        """What the public URL names: the document number, or the slug."""
        return self.number or self.slug or str(self.id)

    @property
    def sensitive_name_list(self) -> list[str]:
        return [n.strip() for n in self.sensitive_names.splitlines() if n.strip()]


class DocumentRevision(Base):
    """Every saved state of a document, kept for good."""

    __tablename__ = "document_revisions"
    __table_args__ = (UniqueConstraint("document_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    body_markdown: Mapped[str] = mapped_column(Text)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentAttachment(Base):
    __tablename__ = "document_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="attachments")


class GuardOverride(Base):
    """An editor's written reason to publish despite a personal-data finding.

    The matched text itself is not stored, only its hash: the override must
    not become a second copy of the personal data.
    """

    __tablename__ = "guard_overrides"
    __table_args__ = (UniqueConstraint("document_id", "kind", "text_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    text_sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SearchOutbox(Base):
    """A change the index must apply, written in the transaction that made it.

    The index follows these rows by id, so nothing rolled back is indexed and
    nothing committed is missed if a process dies before indexing.
    """

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(10))  # "upsert" or "delete"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
