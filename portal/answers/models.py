"""A public question and answer, drafted from an answered consultation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow
from ..disclosure.models import Document

answer_articles = Table(
    "public_answer_articles",
    Base.metadata,
    Column("answer_id", ForeignKey("public_answers.id"), primary_key=True),
    Column("document_id", ForeignKey("documents.id"), primary_key=True),
)


class PublicAnswer(Base):
    __tablename__ = "public_answers"
    __table_args__ = (Index("ix_public_answers_status_topic", "status", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The consultation it was drafted from: staff only, never shown to the public.
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    last_edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    articles: Mapped[list[Document]] = relationship(secondary=answer_articles, order_by=Document.id)
