""" "Is your question answered here?": published answers offered before someone writes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from search.pages import PageHit

from . import services
from .models import PublicAnswer
from .search import search_answers

LATEST = 5
MAX_QUERY = 200


@dataclass(frozen=True)
class Offer:
    """What the consultation start page shows: the words searched, and what they found
    (`hits`), or without words the latest answers."""

    q: str
    hits: list[PageHit] | None
    latest: list[PublicAnswer]


def clean_query(text: str | None) -> str:
    return (text or "").strip()[:MAX_QUERY]


def offer(db: Session, text: str | None) -> Offer | None:
    """None when nothing is published: the question is then not worth asking."""
    latest = services.published(db, LATEST)
    if not latest:
        return None
    q = clean_query(text)
    return Offer(q, search_answers(db, q, limit=LATEST) if q else None, latest)
