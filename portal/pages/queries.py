"""Reading guide pages in the visitor's language, falling back to Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..disclosure.models import Document
from ..disclosure.related import either, related_articles
from ..i18n import current_locale
from .models import Page

FALLBACK_LOCALE = "zh_Hans"


@dataclass(frozen=True)
class PageSummary:
    slug: str
    title: str
    summary: str
    locale: str


def list_pages(db: Session, locale: str | None = None) -> list[PageSummary]:
    """One entry per slug, in the wanted language where it exists."""
    locale = locale or current_locale()
    rows = db.execute(
        select(Page.slug, Page.title, Page.summary, Page.locale, Page.position)
        .where(Page.locale.in_({locale, FALLBACK_LOCALE}))
        .order_by(Page.position, Page.slug)
    ).all()
    chosen: dict[str, PageSummary] = {}
    for slug, title, summary, page_locale, _position in rows:
        if slug not in chosen or page_locale == locale:
            chosen[slug] = PageSummary(slug, title, summary, page_locale)
    return list(chosen.values())


def get_page(db: Session, slug: str, locale: str | None = None) -> Page | None:
    locale = locale or current_locale()
    pages = db.scalars(
        select(Page).where(Page.slug == slug, Page.locale.in_({locale, FALLBACK_LOCALE}))
    ).all()
    for page in pages:
        if page.locale == locale:
            return page
    return pages[0] if pages else None


def articles_for(db: Session, page: Page) -> list[Document]:
    """Legal-education articles on the guide's declared topic words (or its title)."""
    return related_articles(db, [either(page.topic_words)], page.locale)
