"""A guide page in one language, loaded from content/pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("slug", "locale", name="uq_pages_slug_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    locale: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    position: Mapped[int] = mapped_column(Integer, default=100)
    # Words the guide is about, one a line, to find related legal-education articles.
    topics: Mapped[str] = mapped_column(String(400), default="")
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def topic_words(self) -> list[str]:
        """The declared topic words, or else the title: what its related articles are about."""
        words = [w for w in (self.topics or "").splitlines() if w.strip()]
        return words or [self.title]
