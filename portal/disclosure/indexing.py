"""Keeping the search index in step with the database.

The database is the source of truth. Changes reach the index only through the
outbox (see `services.enqueue_index`): after a request commits outbox rows,
this process applies them; `flask search sync` applies whatever any process
left behind; `flask search rebuild` rebuilds from the published documents.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import bleach
from flask import Flask, current_app, g, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from search import IndexDocument, SearchIndex, ensure_index, load_synonyms

from ..config import PROJECT_ROOT
from .models import Document, SearchOutbox

BATCH = 500
_SPACE = re.compile(r"\s+")


def plain_text(body_html: str) -> str:
    text = bleach.clean(body_html.replace("</p>", "</p>\n"), tags=set(), strip=True)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def to_index_document(doc: Document) -> IndexDocument:
    assert doc.published_at is not None
    return IndexDocument(
        doc_id=str(doc.id),
        number=doc.number or "",
        title=doc.title,
        body=plain_text(doc.body_html),
        doc_type=doc.doc_type,
        department=doc.department,
        language=doc.language,
        published=doc.published_at,
        charge=doc.charge or "",
    )


def site_synonyms() -> dict[str, list[str]] | None:
    """content/synonyms.txt, for documents and guide pages alike."""
    synonyms_path = PROJECT_ROOT / "content" / "synonyms.txt"
    return load_synonyms(str(synonyms_path)) if synonyms_path.exists() else None


def get_index(app: Flask | None = None) -> SearchIndex:
    """The process's index handle, opened once and reused across requests."""
    app = app or current_app
    index = app.extensions.get("portal.search")
    if index is None:
        synonyms = site_synonyms()
        ensure_index(str(app.config["INDEX_DIR"]))  # a new instance starts with an empty index
        wait = app.config["SEARCH_SUGGESTION_WAIT"]
        index = SearchIndex(
            str(app.config["INDEX_DIR"]),
            synonyms=synonyms,
            suggestion_wait=None if wait is None else float(wait),  # type: ignore[arg-type]
        )
        app.extensions["portal.search"] = index
    return index


def sync(db: Session, index: SearchIndex) -> int:
    """Apply outbox rows the index has not seen yet; returns how many."""
    applied = 0
    while True:
        rows = db.execute(
            select(SearchOutbox.id, SearchOutbox.document_id)
            .where(SearchOutbox.id > index.checkpoint)
            .order_by(SearchOutbox.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return applied
        ids = {document_id for _id, document_id in rows}
        docs = {d.id: d for d in db.scalars(select(Document).where(Document.id.in_(ids)))}
        upserts = [
            to_index_document(docs[i])
            for i in sorted(ids)
            if i in docs and docs[i].status == "published"
        ]
        deletions = [str(i) for i in sorted(ids) if i not in docs or docs[i].status != "published"]
        index.apply(upserts, deletions, checkpoint=rows[-1][0])
        applied += len(rows)


def published_documents(db: Session) -> Iterator[IndexDocument]:
    """Every published document, read in batches, each batch its own short transaction."""
    last = 0
    while True:
        batch = db.scalars(
            select(Document)
            .where(Document.status == "published", Document.id > last)
            .order_by(Document.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        for doc in batch:
            yield to_index_document(doc)
        last = batch[-1].id
        db.expunge_all()
        db.commit()  # read-only: ends the snapshot so that no transaction lives for the whole build


def rebuild(db: Session, index: SearchIndex, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild from the database without losing changes committed meanwhile.

    The outbox position is read first; outbox rows written during the build are
    applied to the new index before it is swapped in (a document withdrawn
    meanwhile must not come back), and once more after the swap for rows
    committed between that catch-up and the swap.
    """
    checkpoint = db.scalar(select(func.max(SearchOutbox.id))) or 0
    db.commit()
    count = index.rebuild(
        published_documents(db),
        checkpoint=checkpoint,
        progress=progress,
        before_swap=lambda built: _catch_up(db, built),
    )
    _catch_up(db, index)
    return count


def _catch_up(db: Session, index: SearchIndex) -> None:
    sync(db, index)
    db.commit()


@dataclass(frozen=True)
class IndexCheck:
    missing: list[int]
    extra: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


def check(db: Session, index: SearchIndex) -> IndexCheck:
    published = set(db.scalars(select(Document.id).where(Document.status == "published")))
    indexed = index.doc_ids()
    missing = sorted(i for i in published if str(i) not in indexed)
    extra = sorted(i for i in indexed if not i.isdigit() or int(i) not in published)
    return IndexCheck(missing, extra)


@event.listens_for(Session, "after_commit")
def _note_outbox(db: Session) -> None:
    if db.info.pop("search_outbox", False) and has_app_context():
        g.search_outbox_pending = True


@event.listens_for(Session, "after_rollback")
def _forget_outbox(db: Session) -> None:
    db.info.pop("search_outbox", None)


def init_app(app: Flask) -> None:
    @app.teardown_request
    def _apply_outbox(_exc: BaseException | None) -> None:
        if not g.pop("search_outbox_pending", False):
            return
        from ..db import get_session

        try:
            sync(get_session(), get_index())
        except Exception:  # noqa: BLE001 - the next sync catches up; never fail the request
            current_app.logger.exception("search index sync failed; `flask search sync` will retry")
