"""Public questions and answers in site search: an in-memory `PageIndex`, as guide pages.

The database is the source of truth: every publication or withdrawal bumps the
site generation, and the index is rebuilt from the published rows when the
generation it was built at is no longer current (milliseconds for hundreds).
"""

from __future__ import annotations

import threading

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from search.pages import PageHit, PageIndex, PageText

from ..disclosure.indexing import site_synonyms
from ..i18n import current_locale
from ..page_cache import current_generation
from .models import PublicAnswer

_BUILD_LOCK = threading.Lock()
_KEY = "portal.answer_search"


def answer_texts(db: Session) -> list[PageText]:
    """Each published question and answer as text; its slug is its id."""
    rows = db.scalars(select(PublicAnswer).where(PublicAnswer.status == "published"))
    return [PageText(str(qa.id), qa.language, qa.title, qa.question, qa.answer) for qa in rows]


def get_answer_index(db: Session, app: Flask | None = None) -> PageIndex:
    app = app or current_app
    generation = current_generation(app)
    held = app.extensions.get(_KEY)
    if held is not None and held[0] == generation:
        return held[1]
    with _BUILD_LOCK:
        held = app.extensions.get(_KEY)
        if held is not None and held[0] == generation:
            return held[1]
        index = PageIndex(answer_texts(db), synonyms=site_synonyms(), distinctive_only=False)
        app.extensions[_KEY] = (generation, index)
        return index


def search_answers(db: Session, text: str, limit: int = 3) -> list[PageHit]:
    """The published answers best matching `text`, best first."""
    if not text.strip():
        return []
    return get_answer_index(db).search(text, current_locale(), limit=limit)
