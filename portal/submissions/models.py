"""Submissions, their status history, replies, ratings, citizen additions, staff notes,
files and the server-side drafts of the form flow.

Everything a citizen wrote, and who they are, is encrypted at rest
(`EncryptedText`). The original submission is one canonical JSON document,
never changed after it is stored, with its SHA-256; staff notes and
corrections are separate rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..db import Base, UTCDateTime, utcnow


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_status_received_at", "status", "received_at"),
        Index("ix_submissions_source_hash_received_at", "source_hash", "received_at"),
        Index("ix_submissions_phone_hash_received_at", "phone_hash", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    query_hash: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(20), default="received")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    # The original, as submitted: canonical JSON (identity and answers), never updated.
    original: Mapped[str] = mapped_column(EncryptedText)
    original_sha256: Mapped[str] = mapped_column(String(64))
    # Keyed hashes (HMAC) for matching without clear values: query-code reset, rate limits.
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    procedural_due: Mapped[datetime] = mapped_column(UTCDateTime())
    result_due: Mapped[datetime] = mapped_column(UTCDateTime())
    procedural_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # New information from the citizen that no staff member has opened yet.
    unread: Mapped[bool] = mapped_column(Boolean, default=True)
    spam: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    events: Mapped[list[SubmissionEvent]] = relationship(
        back_populates="submission", order_by="SubmissionEvent.id"
    )
    replies: Mapped[list[SubmissionReply]] = relationship(
        back_populates="submission", order_by="SubmissionReply.id"
    )
    additions: Mapped[list[SubmissionAddition]] = relationship(
        back_populates="submission", order_by="SubmissionAddition.id"
    )
    notes: Mapped[list[SubmissionNote]] = relationship(order_by="SubmissionNote.id")
    files: Mapped[list[SubmissionFile]] = relationship(
        back_populates="submission", order_by="SubmissionFile.id"
    )


class SubmissionEvent(Base):
    """One step of the status history, with the reason the citizen is given."""

    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="events")


class SubmissionReply(Base):
    """A reply the citizen reads with their codes."""

    __tablename__ = "submission_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    body: Mapped[str] = mapped_column(EncryptedText)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="replies")
    rating: Mapped[ReplyRating | None] = relationship(back_populates="reply", uselist=False)


class ReplyRating(Base):
    __tablename__ = "submission_reply_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("submission_replies.id"), unique=True)
    rating: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(EncryptedText)
    # Set for a 不满意 rating: a supervisor follows it up, then marks it done.
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reply: Mapped[SubmissionReply] = relationship(back_populates="rating")


class SubmissionAddition(Base):
    """Information the citizen added later, with their codes."""

    __tablename__ = "submission_additions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    body: Mapped[str] = mapped_column(EncryptedText)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="additions")


class SubmissionNote(Base):
    """A staff note or correction: internal, never shown to the citizen."""

    __tablename__ = "submission_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="note")  # note, correction, spam
    body: Mapped[str] = mapped_column(EncryptedText)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SubmissionDraft(Base):
    """The answers of a form in progress, kept on the server, never in the cookie.

    The cookie holds only `token`. After submitting, `submission_id` points to
    the record (so a second submit finds it) and `query_code` holds the secret,
    encrypted, for a short while after `submitted_at`: a confirmation page lost
    on the way can be loaded again from the same browser. It is cleared when
    the person says they have written it down, or by the purge after the window.
    """

    __tablename__ = "submission_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    answers: Mapped[str] = mapped_column(EncryptedText, default="{}")
    submit_key: Mapped[str] = mapped_column(String(64))
    challenge_answer: Mapped[str | None] = mapped_column(String(20))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    query_code: Mapped[str | None] = mapped_column(EncryptedText)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SubmissionFile(Base):
    """An attachment, encrypted on disk under a random name outside the web root."""

    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission_drafts.id", ondelete="SET NULL"), index=True
    )
    addition_id: Mapped[int | None] = mapped_column(ForeignKey("submission_additions.id"))
    filename: Mapped[str] = mapped_column(EncryptedText)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submission: Mapped[Submission | None] = relationship(back_populates="files")


class SavedQueueFilter(Base):
    """A set of queue filters a staff member saved under a name, for themselves only."""

    __tablename__ = "saved_queue_filters"
    __table_args__ = (UniqueConstraint("staff_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The query string of the filters (kind=report&due=overdue): no personal data.
    query: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
