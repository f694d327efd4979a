"""Guide pages in site search: an in-memory `search.pages.PageIndex` built from the database.

The database is the source of truth. Every change to pages bumps the site
generation (`load_pages` calls `bump_generation`, for `flask content load` and
the demo load alike), and the index is rebuilt from the `pages` table when the
generation it was built at is no longer current. The generation is read the
way the page cache reads it (at most once a second, and at once after this
process's own commit), so another process's load shows here within a second.
Building takes milliseconds for a dozen pages; nothing is kept on disk, so
there is nothing to rebuild or repair by hand.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from search.pages import PageHit, PageIndex, PageText

from ..disclosure.indexing import plain_text, site_synonyms
from ..i18n import current_locale
from ..page_cache import current_generation
from .models import Page
from .queries import FALLBACK_LOCALE

_BUILD_LOCK = threading.Lock()


def page_texts(db: Session) -> list[PageText]:
    """Every guide page, each language version, as plain text."""
    return [
        PageText(p.slug, p.locale, p.title, p.summary, plain_text(p.body_html))
        for p in db.scalars(select(Page).order_by(Page.slug, Page.locale))
    ]


def get_page_index(db: Session, app: Flask | None = None) -> PageIndex:
    """The process's page index, rebuilt when the pages may have changed."""
    app = app or current_app
    generation = current_generation(app)
    held = app.extensions.get("portal.page_search")
    if held is not None and held[0] == generation:
        return held[1]
    with _BUILD_LOCK:
        held = app.extensions.get("portal.page_search")
        if held is not None and held[0] == generation:
            return held[1]
        index = PageIndex(page_texts(db), synonyms=site_synonyms())
        app.extensions["portal.page_search"] = (generation, index)
        return index


def search_pages(db: Session, text: str) -> list[PageHit]:
    """The guide pages best answering `text`, in the visitor's language where one exists."""
    if not text.strip():
        return []
    return get_page_index(db).search(text, current_locale(), FALLBACK_LOCALE)
