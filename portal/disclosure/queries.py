"""Reading published documents for the public pages, the feeds and the API."""

from __future__ import annotations

from sqlalchemy import bindparam, extract, func, select
from sqlalchemy.orm import Session

from ..pagination import Pager, make_pager
from .models import Document
from .numbers import number_key

PUBLIC_STATUSES = ("published", "withdrawn")


def published_query(doc_type: str | None = None, year: int | None = None):  # type: ignore[no-untyped-def]
    query = select(Document).where(Document.status == "published")
    if doc_type:
        query = query.where(Document.doc_type == doc_type)
    if year:
        query = query.where(extract("year", Document.published_at) == year)
    return query


def list_published(
    db: Session, *, doc_type: str | None, year: int | None, page: int, per_page: int = 20
) -> tuple[list[Document], Pager]:
    query = published_query(doc_type, year)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    pager = make_pager(page, per_page, total)
    items = db.scalars(
        query.order_by(Document.published_at.desc(), Document.id.desc())
        .offset(pager.offset)
        .limit(per_page)
    ).all()
    return list(items), pager


def publication_years(db: Session) -> list[int]:
    years = db.scalars(
        select(extract("year", Document.published_at).label("y"))
        .where(Document.status == "published")
        .group_by("y")
        .order_by(extract("year", Document.published_at).desc())
    ).all()
    return [int(y) for y in years if y is not None]


def latest_published(db: Session, limit: int = 6) -> list[Document]:
    return list(
        db.scalars(
            published_query()
            .order_by(Document.published_at.desc(), Document.id.desc())
            .limit(limit)
        )
    )


def find_public(db: Session, ref: str) -> Document | None:
    """A published or withdrawn document by its number (any bracket style) or slug."""
    doc = db.scalar(
        select(Document).where(
            Document.number_key == number_key(ref), Document.status.in_(PUBLIC_STATUSES)
        )
    )
    if doc is None:
        doc = db.scalar(
            select(Document).where(Document.slug == ref, Document.status.in_(PUBLIC_STATUSES))
        )
    return doc


def public_refs(db: Session, doc_ids: list[str]) -> dict[str, str]:
    """Map index ids to public references, for the documents still published."""
    return {key: ref for key, (ref, _language) in public_refs_and_languages(db, doc_ids).items()}


_PUBLIC_REFS = select(Document.id, Document.number, Document.slug, Document.language).where(
    Document.status == "published", Document.id.in_(bindparam("ids", expanding=True))
)


def public_refs_and_languages(db: Session, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Map index ids to (public reference, language), for the documents still published:
    a results page marks a title written in the other language (WCAG 3.1.2)."""
    ids = [int(i) for i in doc_ids if i.isdigit()]
    if not ids:
        return {}
    # Built once and run on the session's connection: columns, not entities, so the
    # ORM has nothing to add, and building the statement per page cost more than running it.
    rows = db.connection().execute(_PUBLIC_REFS, {"ids": ids}).all()
    return {str(i): (number or slug or str(i), language) for i, number, slug, language in rows}
